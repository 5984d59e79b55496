"""ASGI entry point: `uvicorn --factory services.matching.main:create_app`."""

from fastapi import FastAPI

from libs.kernel.service import create_service_app
from services.matching.config import MatchingSettings
from services.matching.definition import DEFINITION


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings)
