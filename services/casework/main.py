"""ASGI entry point: `uvicorn --factory services.casework.main:create_app`."""

from fastapi import FastAPI

from libs.kernel.service import create_service_app
from services.casework.config import CaseworkSettings
from services.casework.definition import DEFINITION


def create_app(settings: CaseworkSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings)
