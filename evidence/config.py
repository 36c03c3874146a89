"""Settings, read from the environment; constructed by the edges and passed down, never global."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from evidence.errors import InputError

DEFAULT_DATABASE_URL = "sqlite:///evidence.db"
NCBI_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


class Settings(BaseSettings):
    """Everything evidence can be configured with."""

    model_config = SettingsConfigDict(env_prefix="EVIDENCE_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    eutils_url: str = NCBI_EUTILS_URL
    # NCBI's own tools read these names, so we accept them without our prefix.
    ncbi_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("NCBI_API_KEY", "EVIDENCE_NCBI_API_KEY")
    )
    ncbi_email: str | None = Field(
        default=None, validation_alias=AliasChoices("NCBI_EMAIL", "EVIDENCE_NCBI_EMAIL")
    )
    # Keys that may call the API's write endpoints (header X-API-Key); none: writes are refused.
    # EVIDENCE_API_KEYS is comma-separated, not JSON, so a key is easy to add in a shell.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)
    # Who may read through the API and the web pages: anyone ("open"), or only with one of the
    # API keys ("key": the X-API-Key header, or a browser's login prompt with the key as password).
    read_access: Literal["open", "key"] = "open"

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_api_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value


def get_settings() -> Settings:
    """Read the settings from the environment now; InputError names a variable set wrong
    ("EVIDENCE_READ_ACCESS=Key"), rather than a traceback."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(_problem(detail) for detail in error.errors())
        raise InputError(f"bad setting: {problems}") from None


def _problem(detail: Any) -> str:
    names = [str(part) for part in detail.get("loc", ())]
    fields = Settings.model_fields
    field = fields.get(names[0]) if names else None
    if field is not None and field.validation_alias is None:
        variable = f"EVIDENCE_{names[0].upper()}"
    else:
        variable = names[0] if names else "a setting"
    return f"{variable}: {detail.get('msg', 'not valid')} (got {detail.get('input')!r})"
