"""An S3-compatible bucket (AWS, MinIO, Ceph…) through boto3, installed only where used."""
from __future__ import annotations

from collections.abc import Iterator

from app.storage.base import Storage, StorageError, StoredFile


class S3Storage(Storage):
    """Keys become object names under an optional prefix in one bucket."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None, prefix: str = ""):
        try:
            import boto3  # optional dependency: only deployments that choose S3 need it
        except ImportError as exc:
            raise StorageError("STORAGE_BACKEND=s3 needs the boto3 package (pip install boto3)") from exc
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region,
                                   aws_access_key_id=access_key, aws_secret_access_key=secret_key)

    def _name(self, key: str) -> str:
        key = self.check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def save(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data,
                                   ContentType=content_type)
        except Exception as exc:  # noqa: BLE001 - botocore raises many types
            raise StorageError(str(exc)) from exc

    def read(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"cannot read {key}: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except Exception as exc:  # noqa: BLE001
            raise StorageError(str(exc)) from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
            return True
        except Exception:  # noqa: BLE001 - a 404 comes back as ClientError
            return False

    def files(self) -> Iterator[StoredFile]:
        # Unfinished multipart uploads are the bucket's business: give it a lifecycle rule.
        prefix = f"{self.prefix}/" if self.prefix else ""
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    yield StoredFile(item["Key"][len(prefix):], int(item["Size"]), item["LastModified"])
        except Exception as exc:  # noqa: BLE001 - botocore raises many types
            raise StorageError(str(exc)) from exc
