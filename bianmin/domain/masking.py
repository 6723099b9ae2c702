"""Masking of personal data for slips and public pages (design.md §5, §7)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """王秀英 → 王*英, 王英 → 王*, 巴特尔 → 巴*尔; long names keep first and last."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """13800138000 → 138****8000; landlines keep the area code and last four."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(id_number: str) -> str:
    """For the console only; slips never show an ID number at all."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]
