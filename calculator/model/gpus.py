"""Serving instances for self-hosting a model: a small, dated price table.

On-demand list prices in USD per hour, for a first ``node_cost_per_hour`` of an
``in_house`` option. Reserved or savings-plan prices run 35-72 % lower, spot up to 90 %
lower but interruptible; the table keeps the on-demand price and, where the source gives
it, the 1-year reserved one.

- AWS rows: us-east-1, instances.vantage.sh data "Last updated: 2026-01-21" as exported
  by github.com/tsaol/aws-gpu (data/all_gpu_instances.js, HEAD 77fcd9f, 2026-01-21), the
  source of /work/shared/reference/prices-and-costs.md section 1.3. ``gpu_memory_gb`` is
  the instance's total accelerator memory (8 × 40 GB on a p4d.24xlarge).
- CPU rows: m7g.large and t3.large from the same reference (factualminds, June 2026;
  go-cloud, undated).
- Hugging Face Inference Endpoints (dedicated, on AWS): huggingface.co/docs/
  inference-endpoints/support/pricing, as in github.com/huggingface/
  hf-endpoints-documentation docs/source/support/pricing.md (commit 86ef8b3, 2026-05-19).
  Billed per minute while the endpoint runs; the memory column is the page's.

>>> instance("aws", "g5.xlarge").price_per_hour
1.006
>>> round(instance("aws", "g5.xlarge").price_per_hour * 730, 2)
734.38
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True)
class GpuInstance:
    cloud: str
    instance: str
    gpus: int
    gpu_model: str | None  # None: CPU only
    gpu_memory_gb: float  # all accelerators of the instance together; 0 for CPU
    price_per_hour: float  # on-demand, USD
    source: str
    as_of: _dt.date
    reserved_1y_per_hour: float | None = None
    region: str = "us-east-1"
    note: str = ""


_VANTAGE = ("instances.vantage.sh via github.com/tsaol/aws-gpu data/all_gpu_instances.js "
            "(us-east-1, 'Last updated: 2026-01-21')")
_VANTAGE_DAY = _dt.date(2026, 1, 21)
_HF = ("https://huggingface.co/docs/inference-endpoints/support/pricing "
       "(hf-endpoints-documentation commit 86ef8b3, 2026-05-19)")
_HF_DAY = _dt.date(2026, 5, 19)

INSTANCES: tuple[GpuInstance, ...] = (
    GpuInstance("aws", "g4dn.xlarge", 1, "NVIDIA T4", 16, 0.526, _VANTAGE, _VANTAGE_DAY, 0.331),
    GpuInstance("aws", "g6.xlarge", 1, "NVIDIA L4", 24, 0.8048, _VANTAGE, _VANTAGE_DAY, 0.52392),
    GpuInstance("aws", "inf2.xlarge", 1, "AWS Inferentia2", 32, 0.7582, _VANTAGE, _VANTAGE_DAY,
                0.47767, note="Needs models compiled with the AWS Neuron SDK."),
    GpuInstance("aws", "g5.xlarge", 1, "NVIDIA A10G", 24, 1.006, _VANTAGE, _VANTAGE_DAY,
                0.63378, note="$1.006/h confirmed by a factualminds post of 2026-06-17."),
    GpuInstance("aws", "g6e.xlarge", 1, "NVIDIA L40S", 48, 1.861, _VANTAGE, _VANTAGE_DAY,
                1.17243),
    GpuInstance("aws", "p4d.24xlarge", 8, "NVIDIA A100", 320, 21.957642, _VANTAGE, _VANTAGE_DAY,
                13.921094),
    GpuInstance("aws", "p5.48xlarge", 8, "NVIDIA H100", 640, 55.04, _VANTAGE, _VANTAGE_DAY),
    GpuInstance("aws", "m7g.large", 0, None, 0, 0.0816,
                "factualminds, June 2026 (prices-and-costs.md section 1.3)",
                _dt.date(2026, 6, 1),
                note="CPU only (2 vCPU Graviton3, 8 GiB); the source gives the month only."),
    GpuInstance("aws", "t3.large", 0, None, 0, 0.0832,
                "go-cloud, undated (prices-and-costs.md section 1.3)", _dt.date(2026, 11, 28),
                note="CPU only (2 vCPU, 8 GiB, burstable); date is when the reference was "
                     "collected, the source has none."),
    GpuInstance("huggingface", "aws-nvidia-t4-x1", 1, "NVIDIA T4", 14, 0.5, _HF, _HF_DAY,
                region="aws"),
    GpuInstance("huggingface", "aws-nvidia-l4-x1", 1, "NVIDIA L4", 24, 0.8, _HF, _HF_DAY,
                region="aws"),
    GpuInstance("huggingface", "aws-nvidia-a10g-x1", 1, "NVIDIA A10G", 24, 1.0, _HF, _HF_DAY,
                region="aws"),
    GpuInstance("huggingface", "aws-nvidia-l40s-x1", 1, "NVIDIA L40S", 48, 1.8, _HF, _HF_DAY,
                region="aws"),
    GpuInstance("huggingface", "aws-nvidia-a100-x1", 1, "NVIDIA A100", 80, 2.5, _HF, _HF_DAY,
                region="aws"),
    GpuInstance("huggingface", "aws-nvidia-h200-x1", 1, "NVIDIA H200", 141, 5.0, _HF, _HF_DAY,
                region="aws"),
    GpuInstance("huggingface", "aws-intel-spr-x2", 0, None, 0, 0.067, _HF, _HF_DAY,
                region="aws", note="CPU only (2 vCPU Intel Sapphire Rapids, 4 GB)."),
)


def instances(cloud: str | None = None) -> list[GpuInstance]:
    """Every row, or one cloud's, cheapest first."""
    rows = [r for r in INSTANCES if cloud is None or r.cloud == cloud]
    return sorted(rows, key=lambda r: (r.price_per_hour, r.cloud, r.instance))


def instance(cloud: str, name: str) -> GpuInstance | None:
    """The row for ``(cloud, instance)``, or ``None``."""
    return next((r for r in INSTANCES if (r.cloud, r.instance) == (cloud, name)), None)


def lookup(cloud: str, name: str) -> GpuInstance | str:
    """The instance, or a sentence saying what is wrong with the reference (with a
    "did you mean" when a row is close)."""
    import difflib

    found = instance(cloud, name)
    if found is not None:
        return found
    clouds = sorted({row.cloud for row in instances()})
    if cloud not in clouds:
        return f"cloud {cloud!r} is not in the bundled instance table (clouds: {', '.join(clouds)})"
    names = [row.instance for row in instances(cloud)]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (instances: {', '.join(names)})"
    return f"instance {name!r} is not in the bundled table for {cloud}{hint}"
