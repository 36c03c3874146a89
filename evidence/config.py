"""Settings, read from the environment; constructed by the edges and passed down, never global."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
