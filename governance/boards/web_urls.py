"""The boards' pages under /boards/."""

app_name = "boards"
urlpatterns: list = []
