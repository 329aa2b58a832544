from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_create, name="create"),
    path("review/", views.review_queue, name="review"),
    path("suggest/", views.suggest, name="suggest"),
    path("from-ticket/<int:ticket_pk>/", views.article_from_ticket, name="from_ticket"),
    path("reliability/", views.reliability_page, name="reliability"),
    path("reliability.csv", views.reliability_csv, name="reliability_csv"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/vote/", views.article_vote, name="vote"),
    path("<int:pk>/solved/", views.deflect, name="deflect"),
    path("<int:pk>/do/<slug:action>/", views.article_action, name="action"),
]
