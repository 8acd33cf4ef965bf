from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.index, name="index"),
    path("card/", views.card, name="card"),
    path("card.pdf", views.card_pdf, name="card-pdf"),
    path("family-plan/", views.family_plan, name="family-plan"),
    path("family-plan/plan.pdf", views.family_plan_pdf, name="family-plan-pdf"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:language>/<slug:topic>/", views.edit, name="edit"),
    path("manage/<slug:language>/<slug:topic>/history/", views.history, name="history"),
    path("<slug:topic>/", views.topic, name="topic"),
]
