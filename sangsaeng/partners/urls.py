from django.urls import path

from sangsaeng.partners import views

app_name = "partners"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
]
