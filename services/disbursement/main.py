"""ASGI entry point: `uvicorn --factory services.disbursement.main:create_app`."""

from fastapi import FastAPI

from libs.kernel.service import create_service_app
from services.disbursement.config import DisbursementSettings
from services.disbursement.definition import DEFINITION


def create_app(settings: DisbursementSettings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings)
