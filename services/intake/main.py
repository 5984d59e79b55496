"""ASGI entry point: `uvicorn --factory services.intake.main:create_app`."""

from fastapi import FastAPI

from libs.kernel.service import create_service_app
from services.intake.config import IntakeSettings
from services.intake.definition import DEFINITION


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings)
