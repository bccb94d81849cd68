"""PayPal, Orders API v2 over httpx (PayPal has no maintained async Python SDK).

The storefront creates the PayPal order with the PayPal JS SDK (intent AUTHORIZE) and the buyer
approves it at PayPal; its order id is the payment token here. Then: authorize the approved order
(``POST /v2/checkout/orders/{id}/authorize``), capture the authorization
(``/v2/payments/authorizations/{id}/capture``), void it, refund a capture
(``/v2/payments/captures/{id}/refund``). OAuth2 client-credentials tokens are cached until they
expire. Every call carries ``PayPal-Request-Id`` (PayPal's idempotency key). Webhooks are verified
by PayPal's ``/v1/notifications/verify-webhook-signature``. Tested against respx fakes of PayPal's
documented payloads (no PayPal server is reachable here).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from subgraphs.payments.domain.provider import (
    Authorization,
    Charge,
    DeclineCode,
    PaymentDeclined,
    PaymentRequest,
    ProviderUnavailable,
)

SANDBOX = "https://api-m.sandbox.paypal.com"


class PayPalProvider:
    name = "paypal"

    def __init__(
        self,
        client_id: str,
        secret: str,
        *,
        base_url: str = SANDBOX,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client_id = client_id
        self.secret = secret
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)
        self._token: tuple[str, float] | None = None

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _access_token(self) -> str:
        if self._token and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        try:
            response = await self.http.post(
                "/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.secret),
            )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"paypal: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise ProviderUnavailable(f"paypal token answered {response.status_code}")
        body = response.json()
        self._token = (
            str(body["access_token"]),
            time.monotonic() + float(body.get("expires_in", 300)),
        )
        return self._token[0]

    async def _post(self, path: str, key: str, payload: Mapping[str, Any] | None = None) -> Any:
        token = await self._access_token()
        try:
            response = await self.http.post(
                path,
                json=dict(payload or {}),
                headers={
                    "Authorization": f"Bearer {token}",
                    "PayPal-Request-Id": key,
                    "Prefer": "return=representation",
                },
            )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"paypal: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderUnavailable(f"paypal answered {response.status_code}")
        body = response.json() if response.content else {}
        if response.status_code >= 400:
            issues = {d.get("issue") for d in body.get("details", []) if isinstance(d, dict)}
            if "INSTRUMENT_DECLINED" in issues or "TRANSACTION_REFUSED" in issues:
                raise PaymentDeclined(DeclineCode.DECLINED, "PayPal declined the payment.")
            if "ORDER_NOT_APPROVED" in issues or "PAYER_ACTION_REQUIRED" in issues:
                raise PaymentDeclined(
                    DeclineCode.AUTHENTICATION_FAILED, "The PayPal order was not approved."
                )
            if response.status_code == 404 or "INVALID_RESOURCE_ID" in issues:
                raise PaymentDeclined(DeclineCode.INVALID_TOKEN, "Unknown PayPal order.")
            raise PaymentDeclined(DeclineCode.DECLINED, str(body.get("message") or "Refused."))
        return body

    async def authorize(self, request: PaymentRequest, *, idempotency_key: str) -> Authorization:
        body = await self._post(f"/v2/checkout/orders/{request.token}/authorize", idempotency_key)
        try:
            authorization = body["purchase_units"][0]["payments"]["authorizations"][0]
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderUnavailable("paypal: unexpected authorize answer") from exc
        if authorization.get("status") not in ("CREATED", "PENDING", "CAPTURED"):
            raise PaymentDeclined(
                DeclineCode.DECLINED, f"PayPal authorization {authorization.get('status')}"
            )
        return Authorization(str(authorization["id"]))

    async def confirm(self, reference: str, *, idempotency_key: str) -> Authorization:
        return Authorization(reference)  # PayPal approval happens before authorize

    async def capture(self, reference: str, amount: Decimal, *, idempotency_key: str) -> Charge:
        body = await self._post(
            f"/v2/payments/authorizations/{reference}/capture",
            idempotency_key,
            {"final_capture": True},
        )
        if body.get("status") not in ("COMPLETED", "PENDING"):
            raise PaymentDeclined(
                DeclineCode.CAPTURE_FAILED, f"PayPal capture {body.get('status')}"
            )
        return Charge(str(body["id"]), Decimal(str(body["amount"]["value"])))

    async def void(self, reference: str, *, idempotency_key: str) -> None:
        await self._post(f"/v2/payments/authorizations/{reference}/void", idempotency_key)

    async def refund(
        self, reference: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> Charge:
        body = await self._post(
            f"/v2/payments/captures/{reference}/refund",
            idempotency_key,
            {"amount": {"value": str(amount), "currency_code": currency.upper()}},
        )
        if body.get("status") not in ("COMPLETED", "PENDING"):
            raise PaymentDeclined(DeclineCode.REFUND_FAILED, f"PayPal refund {body.get('status')}")
        return Charge(str(body["id"]), Decimal(str(body["amount"]["value"])))

    async def verify_webhook(
        self, headers: Mapping[str, str], event: Mapping[str, Any], webhook_id: str
    ) -> bool:
        """PayPal checks the transmission signature itself (``verification_status``)."""
        token = await self._access_token()
        try:
            response = await self.http.post(
                "/v1/notifications/verify-webhook-signature",
                json={
                    "auth_algo": headers.get("paypal-auth-algo", ""),
                    "cert_url": headers.get("paypal-cert-url", ""),
                    "transmission_id": headers.get("paypal-transmission-id", ""),
                    "transmission_sig": headers.get("paypal-transmission-sig", ""),
                    "transmission_time": headers.get("paypal-transmission-time", ""),
                    "webhook_id": webhook_id,
                    "webhook_event": dict(event),
                },
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable("paypal: verification unreachable") from exc
        return (
            response.status_code == 200 and response.json().get("verification_status") == "SUCCESS"
        )
