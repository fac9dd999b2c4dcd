"""Drift reports against moto with signatures checked: a small stack is applied, then changed
out of band with boto3 (the DR bucket's versioning suspended, a replication rule disabled); the
JSON report follows schemas/drift.schema.json and ranks the damage, the Markdown report lists it,
and the self-contained HTML report, rendered by headless Chromium, shows it: the screenshot has
the critical badge's red where a clean report has none, and the rendered DOM names the resource.

The screenshot part needs `chromium` (scripts/bootstrap installs it); without it those tests are
skipped with a message saying so. The stack has backups, which rely on the Backup extension to
moto (tests/moto), hence "_via_extension".
"""

import html.parser
import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import jsonschema

from harness.moto_env import MotoTestCase, REPO_ROOT
from stacks import create_estate, write_stack

DRIFT_SCHEMA = json.loads((REPO_ROOT / "schemas" / "drift.schema.json").read_text())
CRITICAL_RGB = (0xC6, 0x28, 0x28)  # .badge.critical and the SVG's critical rows (report/drift_view.cc)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def decode_png(data):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB/RGBA non-interlaced PNG: what
    Chromium writes. Enough of the PNG spec (filters 0-4) to look at pixels without Pillow."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, header
    bpp = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def count_near(rows, rgb, tolerance=12):
    return sum(1 for row in rows for px in row if all(abs(p - q) <= tolerance for p, q in zip(px, rgb)))


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.tags = [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.parts.append(data)


class DriftReport(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()
        self.stack = write_stack(self.work / "stack")
        create_estate(self.moto)
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work, timeout_s=300)

    def drift_to(self, fmt, name, want_exit):
        r = self.drctl("drift", self.stack, "--format", fmt)
        self.assertEqual(r.exit_code, want_exit, r.output())
        path = self.work / name
        path.write_text(r.stdout)
        return path

    def break_recovery(self):
        """Out of band, as someone in the console would: replication of `invoices` disabled and
        versioning of the `assets` DR bucket suspended (both stop replication)."""
        s3 = self.moto.client("s3")
        config = s3.get_bucket_replication(Bucket="shop-invoices")["ReplicationConfiguration"]
        config["Rules"][0]["Status"] = "Disabled"
        s3.put_bucket_replication(Bucket="shop-invoices", ReplicationConfiguration=config)
        self.moto.client("s3", "us-west-2").put_bucket_versioning(
            Bucket="shop-assets-dr", VersioningConfiguration={"Status": "Suspended"})
        # A tag edit on the same DR bucket's sibling: cosmetic, ranked last.
        self.moto.client("s3", "us-west-2").put_bucket_tagging(
            Bucket="shop-invoices-dr", Tagging={"TagSet": [
                {"Key": "drctl:stack", "Value": "shop"}, {"Key": "drctl:address", "Value": "s3.bucket.invoices"},
                {"Key": "team", "Value": "someone-else"}]})

    def screenshot(self, chromium, html_path, name):
        png = self.work / name
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--hide-scrollbars", f"--screenshot={png}", "--window-size=1200,1600", html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                              env=dict(self.env, HOME=str(self.work)))
        self.assertTrue(png.is_file() and png.stat().st_size > 0,
                        f"no screenshot from {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
        return decode_png(png.read_bytes())

    def test_json_ranks_drift_by_impact_and_follows_the_schema_via_extension(self):
        clean = json.loads(self.drift_to("json", "clean.json", 0).read_text())
        jsonschema.validate(clean, DRIFT_SCHEMA)
        self.assertEqual(clean["entries"], [])
        self.break_recovery()
        report = json.loads(self.drift_to("json", "drift.json", 2).read_text())
        jsonschema.validate(report, DRIFT_SCHEMA)
        grades = [e["impact"]["grade"] for e in report["entries"]]
        self.assertEqual(grades, sorted(grades, key=["critical", "warning", "info"].index), grades)
        by_address = {e["address"]: e for e in report["entries"]}
        self.assertEqual(set(by_address), {"s3.replication.invoices", "s3.bucket.assets", "s3.bucket.invoices"})
        rule = by_address["s3.replication.invoices"]
        self.assertEqual(rule["impact"]["grade"], "critical")
        self.assertIn("RPO unbounded", rule["impact"]["effect"])
        self.assertEqual(by_address["s3.bucket.assets"]["impact"]["grade"], "critical")
        self.assertEqual(by_address["s3.bucket.invoices"]["impact"]["grade"], "info")
        self.assertEqual(report["impact_counts"], {"critical": 2, "warning": 0, "info": 1})
        # The live side really is what boto3 sees.
        live = self.moto.client("s3").get_bucket_replication(Bucket="shop-invoices")
        self.assertEqual(live["ReplicationConfiguration"]["Rules"][0]["Status"], "Disabled")

    def test_markdown_lists_each_drifted_attribute_via_extension(self):
        self.break_recovery()
        md = self.drift_to("markdown", "drift.md", 2).read_text()
        self.assertIn("| `rules[0].status` | `\"Enabled\"` | `\"Disabled\"` | critical:", md)
        self.assertIn("| `versioning` | `\"Enabled\"` | `\"Suspended\"` | critical:", md)
        self.assertLess(md.index("`s3.replication.invoices` (changed)"), md.index("`s3.bucket.invoices` (changed)"))

    def test_html_report_renders_the_drifted_resource_in_headless_chromium_via_extension(self):
        chromium = find_chromium()
        if not chromium:
            self.skipTest("chromium is not installed (scripts/bootstrap installs it): screenshot test skipped")
        clean_html = self.drift_to("html", "clean.html", 0)
        self.break_recovery()
        drift_html = self.drift_to("html", "drift.html", 2)
        source = drift_html.read_text()
        for forbidden in ("<script", "<link", "src=", "href=", "@import", "url("):
            self.assertNotIn(forbidden, source, "the report must be self-contained")

        _, _, clean_rows = self.screenshot(chromium, clean_html, "clean.png")
        width, height, rows = self.screenshot(chromium, drift_html, "drift.png")
        self.assertEqual((width, height), (1200, 1600))
        colours = {px for row in rows[::8] for px in row[::8]}
        self.assertGreater(len(colours), 20, "the screenshot looks blank")
        red_clean, red_drift = count_near(clean_rows, CRITICAL_RGB), count_near(rows, CRITICAL_RGB)
        self.assertEqual(red_clean, 0, "a clean report shows no critical red")
        # Two critical rows in the SVG (each ~400x24 px) plus badges: thousands of red pixels.
        self.assertGreater(red_drift, 5000, f"critical red pixels: {red_drift}")

        # What Chromium rendered (after parsing), not only what drctl wrote.
        dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                              "--disable-background-networking", "--dump-dom", drift_html.as_uri()],
                             capture_output=True, text=True, timeout=120, env=dict(self.env, HOME=str(self.work)))
        parser = _Text()
        parser.feed(dom.stdout)
        text = " ".join(parser.parts)
        self.assertIn("svg", parser.tags)
        self.assertIn("critical s3.replication.invoices", text)
        self.assertIn("replication rule disabled: RPO unbounded for workload 'invoices'", text)
        self.assertIn("DR: us-west-2", text)


if __name__ == "__main__":
    import unittest
    unittest.main()
