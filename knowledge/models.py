"""Knowledge base: articles written by staff, often born from a resolved ticket or its report."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Proposed for review")
    PUBLISHED = "published", _("Published")


class Visibility(models.TextChoices):
    STAFF = "staff", _("Staff only")
    CUSTOMERS = "customers", _("Staff and customers")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    # The sanitised HTML of ``body``, rendered by the services on every save (never in a template).
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT)
    visibility = models.CharField(_("visible to"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.STAFF)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    equipment_models = models.ManyToManyField(
        "facilities.EquipmentModel", verbose_name=_("equipment models"), blank=True, related_name="articles"
    )
    # Equipment categories (EquipmentModel.category values) stored as ",hvac,lifts," so that
    # one category is found with ``categories__icontains=",hvac,"``.
    categories = models.CharField(_("equipment categories"), max_length=500, blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="articles")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    source_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("from ticket"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    # The service report it was written from (tickets' report model, when the ticket had one).
    source_report_id = models.PositiveBigIntegerField(_("from service report"), null=True, blank=True)
    helpful_yes = models.PositiveIntegerField(default=0, editable=False)
    helpful_no = models.PositiveIntegerField(default=0, editable=False)
    deflections = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "visibility"], name="article_status_vis_idx"),
            models.Index(fields=["author", "status"], name="article_author_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in ArticleStatus]),
                                   name="knowledge_article_status_valid"),
            models.CheckConstraint(condition=models.Q(visibility__in=[v.value for v in Visibility]),
                                   name="knowledge_article_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]


class Vote(models.Model):
    """"Was this helpful?": one per user and article; voting again changes the answer."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="knowledge_vote_one_per_user")]

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on article {self.article_id}"


class Deflection(models.Model):
    """Someone typing a new ticket said an article solved it: no ticket was created."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflection_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    query = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")

    def __str__(self) -> str:
        return f"deflection by article {self.article_id}"
