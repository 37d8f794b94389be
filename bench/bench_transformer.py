"""What a pretrained contextual encoder would cost at tagging time, on one core.

    python bench/bench_transformer.py [--seconds 20]      (needs the `train` extra: PyTorch)

The NER models that reach 80-83 F1 on the ANERcorp CAMeL split are BERT-base encoders. None can
be downloaded here, so this runs encoders of the same shapes with random weights (speed does not
depend on the weights) and prints subword positions per second on one thread, next to the
20,000 tokens/s the entities issue asks of the whole tagger.
"""

from __future__ import annotations

import argparse
import time

SHAPES = [("BERT-base (12 layers x 768)", 12, 768, 12, 3072), ("small (4 layers x 256)", 4, 256, 4, 1024)]
TARGET = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0, help="time per encoder (default 20)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    print(f"one thread, batches of 8 sequences of 128 positions, {args.seconds:.0f} s each "
          f"({time.strftime('%Y-%m-%d %H:%M')})")
    for name, layers, width, heads, feed_forward in SHAPES:
        layer = torch.nn.TransformerEncoderLayer(width, heads, feed_forward, batch_first=True)
        encoder = torch.nn.TransformerEncoder(layer, layers, enable_nested_tensor=False).eval()
        batch = torch.randn(8, 128, width)
        with torch.inference_mode():
            encoder(batch)  # warm-up
            positions, start = 0, time.perf_counter()
            while time.perf_counter() - start < args.seconds:
                encoder(batch)
                positions += batch.shape[0] * batch.shape[1]
        rate = positions / (time.perf_counter() - start)
        print(f"  {name}: {rate:,.0f} subword positions/s (x{rate / TARGET:.2f} the {TARGET:,} tokens/s target, "
              f"before any tokenising, features or decoding)")


if __name__ == "__main__":
    main()
