"""The archive's commands: storing a voucher's folder and writing its record (steps of
app/posting's transaction, which commits), the BagIt export, and the 四性 verification."""

from app.archive.service.export import ExportPlan, start_export, stream_export
from app.archive.service.records import PreparedFolder, archive_voucher, prepare_folder
from app.archive.service.verify import verify_archive, verify_archive_today

__all__ = [
    "ExportPlan",
    "PreparedFolder",
    "archive_voucher",
    "prepare_folder",
    "start_export",
    "stream_export",
    "verify_archive",
    "verify_archive_today",
]
