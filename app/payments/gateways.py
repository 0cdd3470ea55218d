"""One payment-gateway interface, two adapters: VNPay (API 2.1.0) and the sandbox bank, which
signs exactly as VNPay does so that the same verification code runs in development and tests.

VNPay: `vnp_*` parameters, the amount × 100, `vnp_SecureHash` = HMAC-SHA512 (hex) over the
parameters sorted by name and URL-encoded (`quote_plus`), without the hash fields themselves.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import quote_plus

from flask import current_app, url_for

from app.workdays import LOCAL_TZ

VERSION = "2.1.0"
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")
SANDBOX_TMN_CODE = "MOTCUASB"


def hash_data(params: Mapping[str, Any]) -> str:
    """The text VNPay signs: vnp_* fields but the hash ones, sorted, URL-encoded, joined by &."""
    pairs = sorted((k, str(v)) for k, v in params.items()
                   if k.startswith("vnp_") and k not in HASH_FIELDS and v not in (None, ""))
    return "&".join(f"{k}={quote_plus(v)}" for k, v in pairs)


def secure_hash(params: Mapping[str, Any], secret: str) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, Any], secret: str) -> str:
    """The query string with its vnp_SecureHash appended, as VNPay builds and expects it."""
    return f"{hash_data(params)}&vnp_SecureHash={secure_hash(params, secret)}"


def vnp_time(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in Vietnam's time (GMT+7), VNPay's date format."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ).strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Gateway:
    """A VNPay-protocol gateway: the merchant code, the shared secret and the payment page."""

    name: str
    tmn_code: str
    secret: str
    url: str

    def verify(self, params: Mapping[str, Any]) -> bool:
        """The callback carries a signature of its own fields by our shared secret."""
        given = str(params.get("vnp_SecureHash") or "")
        if not given or not self.secret:
            return False
        return hmac.compare_digest(given.lower(), secure_hash(params, self.secret))

    def payment_url(self, payment: Any, *, return_url: str, ip: str, locale: str,
                    order_info: str) -> str:
        """Where the browser goes to pay this attempt (deterministic for a stored attempt)."""
        params = {
            "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": payment.amount * 100, "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.txn_ref, "vnp_OrderInfo": order_info, "vnp_OrderType": "other",
            "vnp_Locale": "en" if locale == "en" else "vn", "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": ip or "127.0.0.1", "vnp_CreateDate": vnp_time(payment.created_at),
            "vnp_ExpireDate": vnp_time(payment.expires_at),
        }
        return f"{self.url}?{signed_query(params, self.secret)}"


def sandbox_secret() -> str:
    """The sandbox's shared secret: derived from SECRET_KEY, so nobody outside can sign."""
    key = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, b"motcua-sandbox-bank", hashlib.sha256).hexdigest()


def get_gateway() -> Gateway:
    """The configured gateway (PAYMENT_GATEWAY: sandbox or vnpay)."""
    config = current_app.config
    if (config.get("PAYMENT_GATEWAY") or "sandbox") == "vnpay":
        return Gateway("vnpay", config.get("VNPAY_TMN_CODE") or "",
                       config.get("VNPAY_HASH_SECRET") or "", config.get("VNPAY_URL") or "")
    return Gateway("sandbox", SANDBOX_TMN_CODE, sandbox_secret(),
                   url_for("payment_sandbox.bank", _external=True))
