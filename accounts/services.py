"""Public accounts of interested parties: sign-up with e-mail verification, sign-in with a
lockout after repeated failures. Neither reveals whether an address or a login name has an
account: the answers, and what is counted, are the same either way."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from accounts import mail
from accounts.models import InterestedParty
from accounts.signin import signin_attempt
from kernel.audit import audit_log
from kernel.errors import FieldErrors
from kernel.names import normalize_name
from records.models import User


def _login_name(value: str) -> str:
    return normalize_name(value).casefold()


@transaction.atomic
def party_signup(*, email: str, full_name: str, password: str) -> None:
    """Create an inactive public account and e-mail a verification link. For an address that
    already has an account nothing is created; its owner gets a notice instead (or, for an
    account not verified yet, a fresh link). The caller shows the same page in every case."""
    errors = FieldErrors()
    address = _login_name(email)
    try:
        validate_email(address)
    except ValidationError:
        errors.add("email", _("Enter a valid e-mail address."))
    if len(address) > 150:
        errors.add("email", _("This e-mail address is too long."))
    name = normalize_name(full_name)
    if not name:
        errors.add("full_name", _("Enter your full name."))
    candidate = User(username=address, email=address, last_name=name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors.add("password", error)
    errors.raise_if_any()
    # Hashed whether or not the address is new: hashing is slow on purpose, and skipping it
    # for known addresses would let the response time tell them apart.
    hashed = make_password(password)
    existing = User.objects.filter(email__iexact=address).first() or (
        User.objects.filter(username=address).first()
    )
    if existing is not None:
        _signup_again(existing, address)
        return
    try:
        with transaction.atomic():
            user = User(
                username=address,
                email=address,
                last_name=name,
                is_active=False,
                password=hashed,
            )
            user.save()
    except IntegrityError:  # the same address signed up a moment earlier
        mail.queue_signup_notice(email=address)
        return
    InterestedParty.objects.create(user=user, full_name=name)
    audit_log(actor=None, action="party_signup", obj=user, after={"email": address})
    mail.queue_verification_email(user_id=user.pk)


def _signup_again(existing: User, address: str) -> None:
    party = InterestedParty.objects.filter(user=existing).first()
    if party is not None and party.email_verified_at is None and not existing.is_active:
        mail.queue_verification_email(user_id=existing.pk)
    else:
        mail.queue_signup_notice(email=address)


@transaction.atomic
def party_verify(*, uidb64: str, token: str) -> User | None:
    """Activate the account the link was made for; None when the link is wrong or old."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.select_for_update().filter(pk=pk, is_staff=False).first()
    if user is None or not mail.email_verification_token.check_token(user, token):
        return None
    party = InterestedParty.objects.filter(user=user).first()
    if party is None:
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    party.email_verified_at = timezone.now()
    party.save(update_fields=["email_verified_at"])
    audit_log(actor=user, action="party_verify", obj=user, after={"is_active": True})
    return user


def party_login(*, request: HttpRequest, login: str, password: str) -> User:
    """Check a public account's credentials through the shared sign-in limits
    (accounts.signin): raises SigninLocked while the name or address is locked, SigninFailed
    on any failure. Staff accounts do not sign in here (they use the admin's sign-in, with a
    second factor), and fail like a wrong password."""
    username = _login_name(login) if "@" in login else normalize_name(login)

    def public_account(user: User) -> bool | None:
        return True if not user.is_staff and user.bureau_id is None else None

    user, _answer = signin_attempt(
        request=request,
        login=login,
        password=password,
        surface="public",
        second_step=public_account,
        username=username,
    )
    return user
