"""Whether a signer's certificate may sign at a given moment, and why not in Vietnamese.

Checked by bluezone itself, before signing and again on a signed file taken back: the
validity period against the signing time (the claimed one, and a time-stamp's), and the
key usage (RFC 5280: digitalSignature or nonRepudiation; a certificate without the
keyUsage extension may be used for anything). What pyHanko's validator finds against the
province's roots is put into the same words (trust_reason).
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import x509

from bluezone_tui.base.problems import RefusedError
from bluezone_tui.base.vn import fmt_date_short, fmt_time

SIGNING_USAGES = frozenset({"digital_signature", "non_repudiation"})
USAGE_WORDS = {
    "digital_signature": "ký số (digitalSignature)",
    "non_repudiation": "chống chối bỏ (nonRepudiation)",
    "key_encipherment": "mã hóa khóa (keyEncipherment)",
    "data_encipherment": "mã hóa dữ liệu (dataEncipherment)",
    "key_agreement": "thỏa thuận khóa (keyAgreement)",
    "key_cert_sign": "cấp chứng thư (keyCertSign)",
    "crl_sign": "ký danh sách thu hồi (cRLSign)",
    "encipher_only": "chỉ mã hóa (encipherOnly)",
    "decipher_only": "chỉ giải mã (decipherOnly)",
}

# pyHanko's (ETSI EN 319 102-1) sub-indications of a certificate that is not trusted
TRUST_WORDS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "không dẫn tới chứng thư gốc nào của tỉnh",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "không dẫn tới chứng thư gốc nào của tỉnh",
    "CHAIN_CONSTRAINTS_FAILURE": (
        "chuỗi chứng thư tới chứng thư gốc của tỉnh không hợp lệ (ràng buộc của chứng thư "
        "trung gian, mục đích sử dụng khóa)"
    ),
    "OUT_OF_BOUNDS_NO_POE": "đã hết hạn (hoặc chưa có hiệu lực), không có dấu thời gian chứng minh lúc ký",
    "OUT_OF_BOUNDS_NOT_REVOKED": "đã hết hạn, không có dấu thời gian chứng minh lúc ký",
    "EXPIRED": "đã hết hạn",
    "NOT_YET_VALID": "chưa có hiệu lực",
    "REVOKED": "đã bị thu hồi",
    "REVOKED_NO_POE": "đã bị thu hồi",
    "REVOKED_CA_NO_POE": "chứng thư của nơi cấp đã bị thu hồi",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "không kiểm tra được tình trạng thu hồi",
    "TRY_LATER": "chưa kiểm tra được tình trạng thu hồi (thử lại sau)",
    "CRYPTO_CONSTRAINTS_FAILURE": "dùng thuật toán mã hóa không còn được chấp nhận",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "dùng thuật toán mã hóa không còn được chấp nhận",
    "NO_SIGNING_CERTIFICATE_FOUND": "không tìm thấy chứng thư của người ký trong chữ ký",
}


def holder(certificate: x509.Certificate) -> str:
    """The certificate's common name (the person), else its whole subject."""
    subject = certificate.subject.native
    return str(subject.get("common_name") or certificate.subject.human_friendly)


def _moment(when: datetime) -> str:
    return f"{fmt_time(when)} ngày {fmt_date_short(when.date())}"


def certificate_problem(certificate: x509.Certificate, at: datetime) -> str:
    """Why `certificate` cannot sign at `at` ("" when it can): outside its validity
    period, or a key usage that allows no signature. Times are said in `at`'s zone."""
    start = certificate.not_valid_before
    end = certificate.not_valid_after
    if at < start:
        return (
            f"chưa có hiệu lực lúc ký ({_moment(at)}): có hiệu lực từ "
            f"{_moment(start.astimezone(at.tzinfo))}"
        )
    if at > end:
        return f"đã hết hạn lúc ký ({_moment(at)}): hết hạn {_moment(end.astimezone(at.tzinfo))}"
    usage = certificate.key_usage_value
    if usage is not None:  # no keyUsage extension: any use (RFC 5280, 4.2.1.3)
        allowed = set(usage.native)
        if not allowed & SIGNING_USAGES:
            words = ", ".join(USAGE_WORDS.get(name, name) for name in sorted(allowed))
            return (
                f"không dùng để ký được: mục đích sử dụng khóa (keyUsage) chỉ cho phép "
                f"{words or 'không việc gì'}, không có ký số (digitalSignature) hay chống "
                f"chối bỏ (nonRepudiation)"
            )
    return ""


def refuse_unsuitable(certificate: x509.Certificate, at: datetime) -> None:
    """RefusedError naming the certificate's holder and why it cannot sign at `at`."""
    problem = certificate_problem(certificate, at)
    if problem:
        raise RefusedError(f"chứng thư của người ký ({holder(certificate)}) {problem}")


def trust_reason(indication: str) -> str:
    """pyHanko's reason a certificate is not trusted, in Vietnamese."""
    return TRUST_WORDS.get(indication, "không dẫn tới chứng thư gốc nào của tỉnh") + (
        f" ({indication})" if indication else ""
    )
