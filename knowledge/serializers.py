"""API shapes of the knowledge base. They only translate: visibility, ranking and every rule live in
the selectors, ``knowledge/search.py``, the permissions and the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facilities.models import EquipmentModel
from knowledge import permissions
from knowledge.models import ArticleStatus, Visibility


class ArticleSerializer(serializers.Serializer):
    """An article as a reader sees it; ``actions`` lists what the caller may do with it now."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ArticleStatus.choices, read_only=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)
    author = serializers.CharField(source="author.get_full_name", read_only=True)
    tags = serializers.SerializerMethodField()
    categories = serializers.ListField(source="category_list", child=serializers.CharField(), read_only=True)
    helpful_yes = serializers.IntegerField(read_only=True)
    helpful_no = serializers.IntegerField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    rank = serializers.SerializerMethodField(help_text="Relevance when searching (higher is better), else null.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, obj):
        return [t.name for t in obj.tags.all()]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_rank(self, obj):
        rank = getattr(obj, "rank", None)
        return float(rank) if rank is not None else None


ACTIONS = ("edit", "propose", "publish", "unpublish", "return", "delete", "vote")


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(read_only=True, help_text="Markdown, as written.")
    body_html = serializers.CharField(read_only=True, help_text="The sanitised HTML rendered from `body`.")
    equipment_models = serializers.SerializerMethodField()
    source_ticket = serializers.SerializerMethodField(help_text="The ticket it was written from (staff only).")
    actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_equipment_models(self, obj):
        return [{"id": m.pk, "name": str(m)} for m in obj.equipment_models.select_related("manufacturer")]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_source_ticket(self, obj):
        user = self.context["request"].user
        return obj.source_ticket_id if permissions.is_staff_reader(user) else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS)))
    def get_actions(self, obj):
        user = self.context["request"].user
        checks = {"edit": permissions.can_edit, "propose": permissions.can_propose,
                  "publish": permissions.can_publish, "unpublish": permissions.can_unpublish,
                  "return": permissions.can_return, "delete": permissions.can_delete, "vote": permissions.can_vote}
        return [name for name, check in checks.items() if check(user, obj)]


class ArticleWriteSerializer(serializers.Serializer):
    """What an author sets. Status, author, publication and counters are the services' to set: sent here,
    they are ignored."""

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000, help_text="Markdown; HTML is shown as text.")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.STAFF)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50,
                                 help_text="At most 10 tags of 50 characters.")
    equipment_models = serializers.PrimaryKeyRelatedField(queryset=EquipmentModel.objects.all(), many=True,
                                                          required=False)
    categories = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50,
                                       help_text="Equipment categories, e.g. HVAC.")


class ArticleFilterSerializer(serializers.Serializer):
    """Query parameters of the article list (the same filters as the knowledge page)."""

    q = serializers.CharField(required=False, max_length=200, allow_blank=True,
                              help_text="Words to search for: results are ranked by relevance.")
    status = serializers.ChoiceField(choices=ArticleStatus.choices, required=False)
    equipment_model = serializers.PrimaryKeyRelatedField(queryset=EquipmentModel.objects.all(), required=False)
    category = serializers.CharField(required=False, max_length=100)
    tag = serializers.CharField(required=False, max_length=50)
    mine = serializers.BooleanField(required=False, default=False, help_text="Only articles I wrote.")


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="Words to search for (every word must match).")


class SuggestQuerySerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200, allow_blank=True, default="")
    description = serializers.CharField(required=False, max_length=20_000, allow_blank=True, default="")
    equipment = serializers.IntegerField(required=False, min_value=1,
                                         help_text="The equipment the ticket is about (its model's articles first).")


class SimilarTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()


class SuggestionsSerializer(serializers.Serializer):
    articles = ArticleSerializer(many=True)
    similar_tickets = SimilarTicketSerializer(many=True)


class VoteSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()


class DeflectSerializer(serializers.Serializer):
    query = serializers.CharField(required=False, max_length=200, allow_blank=True, default="",
                                  help_text="What the user was typing when the article solved it.")


class PrefillSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField()
    visibility = serializers.CharField()
    equipment_models = serializers.ListField(child=serializers.IntegerField())
    categories = serializers.ListField(child=serializers.CharField())
