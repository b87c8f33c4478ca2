"""Writes deterministic demo orders as JSON lines: python3 generate_orders.py DAY COUNT > orders.jsonl"""
import json, random, sys
from datetime import datetime, timedelta, timezone

day, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(day)
start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
customers = ["ada", "grace", "linus", "margaret", "dennis", "barbara"]
for i in range(count):
    ts = start + timedelta(seconds=rng.randrange(86400))
    print(json.dumps({
        "order_id": int(start.strftime("%Y%m%d")) * 10000 + i,
        "customer": rng.choice(customers),
        "status": rng.choices(["NEW", "PAID", "CANCELLED"], [1, 8, 1])[0],
        "amount": f"{rng.randrange(100, 50000) / 100:.2f}",
        "quantity": rng.randrange(1, 5),
        "ts": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z",
    }))
