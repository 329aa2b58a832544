from django.contrib import admin

from knowledge.models import Article, Deflection, Tag, Vote
from knowledge.rendering import render_markdown


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "visibility", "author", "updated_at", "helpful_yes", "deflections")
    list_filter = ("status", "visibility")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "published_by", "source_ticket")
    filter_horizontal = ("tags", "equipment_models")
    readonly_fields = ("helpful_yes", "helpful_no", "deflections", "created_at", "updated_at", "published_at")

    def save_model(self, request, obj, form, change):
        # The admin edits text directly: keep the sanitised HTML in step, as the services do.
        obj.body_html = render_markdown(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("article", "user", "helpful", "created_at")
    raw_id_fields = ("article", "user")


@admin.register(Deflection)
class DeflectionAdmin(admin.ModelAdmin):
    list_display = ("article", "user", "query", "created_at")
    raw_id_fields = ("article", "user")
    date_hierarchy = "created_at"
