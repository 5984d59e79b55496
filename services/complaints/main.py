"""ASGI entry point: `uvicorn --factory services.complaints.main:create_app`."""

from fastapi import FastAPI

from libs.kernel.service import create_service_app
from services.complaints.config import ComplaintsSettings
from services.complaints.definition import DEFINITION


def create_app(settings: ComplaintsSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings)
