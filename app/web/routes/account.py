"""My account: changing my own password with the current one (the user service's rule)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from app.auth import user_admin
from app.auth.schemas import PasswordChange
from app.problems import AppError
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormErrors, refused
from app.web.page_call import PageCall, WebPage, WebPost, see_other
from app.web.user_present import password_errors

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PASSWORD_FIELDS = ("password", "current_password")


def _page(page: PageCall, errors: FormErrors | None = None) -> Response:
    errors = errors or FormErrors()
    context = {"errors": errors.fields, "done": page.query("done")}
    # Every failure, a refusal of the current password too, is a 422 on this form.
    return page.render("account/password.html", context, status_code=422 if errors else 200)


@router.get("/account/password")
def password_page(page: WebPage) -> Response:
    return _page(page)


@router.post("/account/password")
def change_password(post: WebPost) -> Response:
    data, errors = post.parse(PasswordChange, {k: post.form.get(k, "") for k in PASSWORD_FIELDS})
    errors.fields.update(password_errors(post.form, post.lang).fields)
    if data is not None and not errors:
        try:
            user_admin.set_password(
                post.session,
                post.principal.id,
                data,
                principal=post.principal,
                settings=post.settings,
            )
        except AppError as exc:
            errors = refused(exc, post.lang)
    if errors:
        return _page(post, errors)
    return see_other("/account/password?done=1")
