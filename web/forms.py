"""Typed forms: each form one class of the texts as typed, read from Litestar's body without ever
failing, then parsed field by field (services.inputs) so every refusal lands beside its field.

A handler takes `data: Annotated[SomeForm, URL_ENCODED]` (or MULTI_PART) and declares
`type_decoders=FORMS`: Litestar's own validation of a struct would answer a malformed form with
an English 400; this decoder keeps every value a text and leaves judging it to `Form.reading()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import Any, ClassVar, NamedTuple, Self, TypeVar

from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from services import inputs
from services.errors import N_, DomainError, InvalidInput, Refusals

T = TypeVar("T")
URL_ENCODED = Body(media_type=RequestEncodingType.URL_ENCODED)
MULTI_PART = Body(media_type=RequestEncodingType.MULTI_PART)


class FormInvalid(Refusals):
    """Every refused field of one form at once, so the page shows them all, each beside its field."""


class Upload(NamedTuple):
    name: str
    media_type: str
    content: bytes


class Reading:
    """Parses a form's values one by one, keeping each field's first refusal instead of stopping."""

    def __init__(self) -> None:
        self.refusals: dict[str, DomainError] = {}

    def __call__(self, parse, value: str, field: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return parse(value, field, *args, **kwargs)
        except InvalidInput as refusal:
            self.refusals.setdefault(refusal.field or field, refusal)
            return None

    def optional(self, parse, value: str, field: str, *args: Any, **kwargs: Any) -> Any:
        """A field one may leave empty: None then, else read as any other."""
        return self(parse, value, field, *args, **kwargs) if value else None

    def period(
        self, start: str, end: str, fields: tuple[str, str] = ("period_start", "period_end")
    ) -> tuple[date | None, date | None]:
        """Two days one may leave empty, the end not before the start (refused beside the end)."""
        first = self.optional(inputs.day, start, fields[0])
        last = self.optional(inputs.day, end, fields[1])
        if first and last and last < first:
            message = N_("The period ends after it starts.")
            self.refuse(InvalidInput("period_invalid", message, field=fields[1]))
        return first, last

    async def uploads(
        self, files: list[UploadFile], field: str, *, keep_empty: bool = False
    ) -> list[Upload]:
        """The files a form sent, each name checked (a refusal beside `field`); an empty file
        is no file unless `keep_empty` (the use-case then judges it)."""
        names = [self(file_name, file, field) for file in files]
        found = []
        for file, name in zip(files, names, strict=True):
            content = await file.read()
            if content or keep_empty:
                found.append(Upload(name, file.content_type or "application/octet-stream", content))
        return found

    def refuse(self, refusal: InvalidInput) -> None:
        for each in refusal.refusals.values() if isinstance(refusal, Refusals) else [refusal]:
            self.refusals.setdefault(each.field or "_form", each)

    def require(self, value: str, field: str) -> None:
        """A field that must not be left empty (a row's `name-<n>` is coded as its `name`)."""
        if not value:
            code = f"{field.split('-')[0]}_required"
            self.refuse(InvalidInput(code, N_("Fill in this field."), field=field))


class Form:
    """Base of every form: its fields are texts with defaults (or uploads), filled from the body.

    A subclass declares its fields as annotated class attributes (`title: str = ""`,
    `file: UploadFile | None = None`, `documents: list[UploadFile] = []`). It is deliberately not
    a dataclass or a Struct: msgspec would then convert the body itself, with its English errors.
    PREFIXED names fields whose names the page makes up (answer:<criterion>): they arrive in
    `prefixed[prefix]`, keyed by the rest of the name. LIMITS caps a text field's length.
    """

    PREFIXED: ClassVar[tuple[str, ...]] = ()
    # How a text field is read (name -> parse(value, field)) by `parsed()`; the rest stay texts.
    PARSE: ClassVar[dict[str, Callable[[str, str], Any]]] = {}
    # The field a made-up name's refusal is shown beside ({"answer:": "answers"}).
    PREFIX_FIELDS: ClassVar[dict[str, str]] = {}
    LIMITS: ClassVar[dict[str, int]] = {}
    prefixed: dict[str, dict[str, str]]

    def __init__(self, **values: Any) -> None:
        for name, kind in _fields(type(self)).items():
            default = [] if kind == "files" else getattr(type(self), name, "")
            setattr(self, name, values.get(name, default))
        self.prefixed = values.get("prefixed") or {prefix: {} for prefix in self.PREFIXED}

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for name, kind in _fields(cls).items():
            value = raw.get(name)
            if kind == "files":
                found = value if isinstance(value, list) else [value]
                values[name] = [f for f in found if isinstance(f, UploadFile) and f.filename]
            elif kind == "file":
                found = value[-1] if isinstance(value, list) and value else value
                values[name] = found if isinstance(found, UploadFile) and found.filename else None
            elif value is not None:
                values[name] = _text(value)
        values["prefixed"] = {
            prefix: {
                key.removeprefix(prefix): _text(value)
                for key, value in raw.items()
                if key.startswith(prefix)
            }
            for prefix in cls.PREFIXED
        }
        return cls(**values)

    def texts(self) -> dict[str, str]:
        """The values as typed, to show the form again beside its errors."""
        shown = {
            name: getattr(self, name)
            for name, kind in _fields(type(self)).items()
            if kind == "text"
        }
        for prefix, found in self.prefixed.items():
            shown.update({prefix + key: value for key, value in found.items()})
        return shown

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        """Parse inside the block; at its end every refusal is raised together (FormInvalid).

        Every text is checked first: no NUL (PostgreSQL cannot store it), none past its limit.
        """
        reading = Reading()
        for name, value in self.texts().items():
            limit = self.LIMITS.get(name, inputs.TEXT_LIMIT)
            field = next((f for p, f in self.PREFIX_FIELDS.items() if name.startswith(p)), name)
            reading(inputs.text, value, field, limit=limit)
        yield reading
        if reading.refusals:
            raise FormInvalid(reading.refusals)

    def parsed(self) -> dict[str, Any]:
        """Every text field by its name: read as PARSE says (every refusal at once), or as typed."""
        with self.reading() as read:
            found = {
                name: read(self.PARSE[name], value, name) if name in self.PARSE else value
                for name, value in self.texts().items()
                if name in _fields(type(self))
            }
        return found

    def checked(self) -> Self:
        """The form itself once its texts are storable; for forms whose use-case judges the rest."""
        with self.reading():
            pass
        return self


def optional(parse: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[str, str], Any]:
    """A parse for a field that may be left blank (None then)."""
    return lambda value, field: parse(value, field, *args, **kwargs) if value else None


def _text(value: Any) -> str:
    if isinstance(value, list):  # a name sent twice: the last one, as a browser's form means it
        value = next((v for v in reversed(value) if isinstance(v, str)), "")
    return value.strip() if isinstance(value, str) else ""


@cache
def _fields(cls: type[Form]) -> dict[str, str]:
    """{name: "text" | "file" | "files"} from the annotations of the form and its bases."""
    kinds: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        for name, hint in vars(klass).get("__annotations__", {}).items():
            hint = str(hint)
            if "ClassVar" in hint or name == "prefixed":
                continue
            kinds[name] = "files" if "list" in hint else "file" if "UploadFile" in hint else "text"
    return kinds


def _is_form(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Form)


FORMS = [(_is_form, lambda kind, raw: kind.of(raw if isinstance(raw, Mapping) else {}))]


# What a multipart body carries beside its files: the other fields and the parts' headers.
UPLOAD_MARGIN = 1024 * 1024


def form_post(
    path: str,
    *,
    name: str,
    guards: list,
    uploads: int | None = None,
    form: type[Form] | None = None,
    **options: Any,
) -> post:
    """A POST route that takes a form: FORMS reads it, and the answer is 200 unless act()
    says otherwise (a redirect, or the form again with its errors).

    `uploads` is the most a form's files may weigh together; the body may be a little more, so
    files just too large still reach the use-case and are refused beside their field.

    `form` is for a route one factory makes for each of a family of forms: its handler takes
    `data: Annotated[form, URL_ENCODED]`, and Litestar reads the name `form` as this class."""
    if uploads is not None:
        options["request_max_body_size"] = uploads + UPLOAD_MARGIN
    if form is not None:
        options["signature_namespace"] = {"form": form}
    return post(path, name=name, guards=guards, status_code=200, type_decoders=FORMS, **options)


async def upload_of(file: UploadFile | None, *, field: str) -> Upload:
    """The one file a form sent; what it is, the use-case judges by its bytes."""
    if file is None:
        raise InvalidInput("document_missing", N_("Choose a file."), field=field)
    return Upload(file_name(file, field), file.content_type or "", await file.read())


async def uploads_of(
    files: list[UploadFile],
    names: list[str | None],
    make: Callable[[str, str, bytes], T] = Upload,
    *,
    skip_empty: bool = False,
) -> list[T]:
    """The files of a multi-file field, each under the name its form read for it (file_name),
    made into what the use-case takes (`make(name, media_type, content)`); `skip_empty` leaves
    out a file input sent without a file."""
    found = []
    for upload, name in zip(files, names, strict=True):
        content = await upload.read()
        if content or not skip_empty:
            found.append(make(name, upload.content_type or "application/octet-stream", content))
    return found


FILE_NAME_LIMIT = 255


def file_name(file: UploadFile, field: str) -> str:
    """The name the sender's computer gave the file, if it can be stored and shown."""
    try:
        return inputs.text(file.filename, field, limit=FILE_NAME_LIMIT)
    except InvalidInput:
        raise InvalidInput(
            f"{field}_file_name_invalid",
            N_("The file's name cannot be stored. Rename the file and try again."),
            field=field,
        ) from None


def errors_of(request: Request, error: DomainError) -> dict[str, str]:
    """{field: message in the user's language}; "_form" for an error of the whole form."""
    lang = request.state.get("lang", "nb")
    refusals = error.refusals if isinstance(error, Refusals) else {error.field or "_form": error}
    return {field: refusal.translated(lang) for field, refusal in refusals.items()}


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None
