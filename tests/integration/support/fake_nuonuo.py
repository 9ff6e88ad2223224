#!/usr/bin/env python3
"""A fake invoicing vendor for the tests (BIL-21), speaking the open API of
诺诺开放平台 as einvoice/client.h uses it: POST /open/v1/services?senid=S&
nonce=N&timestamp=T&appkey=K, the content JSON as the body, the headers
method, accessToken, userTax and X-Nuonuo-Sign (base64 of HMAC-SHA1 under
the app secret over "a=services&l=v1&p=open&k=K&i=S&n=N&t=T&f=BODY").

  fake_nuonuo.py --app-key K --secret-file F --token-file F

Methods: nuonuo.OpeMplatform.requestBillingNew (issues at once; the same
orderNo twice gives the same invoice), queryInvoiceResult (by serialNos or
orderNos), invoiceCancellation. Red-letter invoices (invoiceType 2) must
name the code and number of an issued blue invoice, whose status becomes
"3" (reversed). The PDF of each invoice is served at /pdf/<serial>.pdf.
A bad signature, key or token is answered with a vendor error code.

Control: POST /fake/down {"down": true, "mode": "503"|"timeout"} makes
every API call answer HTTP 503 (or never answer within 30 s);
GET /fake/invoices lists what was issued, as JSON. Python 3 standard
library only. Prints the port (127.0.0.1, chosen by the kernel) when it is
ready.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
INVOICES = {}      # serial -> invoice dict
BY_ORDER = {}      # orderNo -> serial
DOWN = {"down": False, "mode": "503"}
COUNTER = [0]
CONF = {}


def minimal_pdf(text):
    """A tiny valid one-page PDF showing `text` (ASCII)."""
    stream = ("BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def answer(code, describe, result=None):
    body = {"code": code, "describe": describe}
    if result is not None:
        body["result"] = result
    return body


def issue(content, base_url):
    order = content.get("order") or {}
    order_no = order.get("orderNo", "")
    if not order_no:
        return answer("E1001", "orderNo is missing")
    if order_no in BY_ORDER:  # idempotent on the order number
        return answer("E0000", "开具成功", {"invoiceSerialNum": BY_ORDER[order_no]})
    tax = order.get("buyerTaxNum")
    if tax is not None and not (15 <= len(tax) <= 20 and tax.isalnum() and tax == tax.upper()):
        return answer("E1002", "购方税号不合法")
    details = order.get("invoiceDetail") or []
    if len(details) != 1:
        return answer("E1003", "one invoice line expected")
    d = details[0]
    amount = round(float(d["taxExcludedAmount"]) * 100) + round(float(d["tax"]) * 100)
    if order.get("invoiceType") == "2":
        blue = next((v for v in INVOICES.values() if v["invoiceCode"] == order.get("invoiceCode")
                     and v["invoiceNo"] == order.get("invoiceNum") and v["invoiceType"] == "1"), None)
        if blue is None or blue["status"] != "2" or blue["amount_fen"] != -amount:
            return answer("E1004", "原蓝票不存在或金额不符")
        blue["status"] = "3"
    COUNTER[0] += 1
    n = COUNTER[0]
    serial = "26%016d" % n
    inv = {"serialNo": serial, "orderNo": order_no, "status": "2", "statusMsg": "开票完成",
           "invoiceCode": "044002600111", "invoiceNo": "%08d" % (40000000 + n),
           "invoiceType": order.get("invoiceType", "1"), "buyerName": order.get("buyerName", ""),
           "buyerTaxNum": tax or "", "amount_fen": amount, "tax": d.get("tax"), "taxRate": d.get("taxRate"),
           "goodsName": d.get("goodsName"), "pdfUrl": "%s/pdf/%s.pdf" % (base_url, serial), "failCause": ""}
    INVOICES[serial] = inv
    BY_ORDER[order_no] = serial
    return answer("E0000", "开具成功", {"invoiceSerialNum": serial})


def query(content):
    serials = list(content.get("serialNos") or [])
    serials += [BY_ORDER[o] for o in content.get("orderNos") or [] if o in BY_ORDER]
    out = [{k: v for k, v in INVOICES[s].items() if k != "amount_fen"} for s in serials if s in INVOICES]
    return answer("E0000", "获取成功", out)


def cancel(content):
    inv = INVOICES.get(content.get("invoiceId", ""))
    if inv is None or inv["invoiceNo"] != content.get("invoiceNo"):
        return answer("E1005", "发票不存在")
    inv["status"] = "3"
    return answer("E0000", "作废成功", {"serialNo": inv["serialNo"]})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/json; charset=utf-8"):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/fake/invoices":
            with LOCK:
                return self.send(200, list(INVOICES.values()))
        if path.startswith("/pdf/") and path.endswith(".pdf"):
            inv = INVOICES.get(path[5:-4])
            if inv:
                return self.send(200, minimal_pdf("INVOICE %s %s" % (inv["invoiceCode"], inv["invoiceNo"])),
                                 "application/pdf")
        self.send(404, {"error": "not found"})

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path == "/fake/down":
            with LOCK:
                DOWN.update(json.loads(body or b"{}"))
            return self.send(200, DOWN)
        if url.path != "/open/v1/services":
            return self.send(404, {"error": "not found"})
        if DOWN["down"]:
            if DOWN.get("mode") == "timeout":
                time.sleep(30)
            return self.send(503, b"service unavailable", "text/plain")
        self.send(200, self.api(url, body))

    def api(self, url, body):
        q = dict(urllib.parse.parse_qsl(url.query))
        text = "a=services&l=v1&p=open&k=%s&i=%s&n=%s&t=%s&f=%s" % (
            q.get("appkey", ""), q.get("senid", ""), q.get("nonce", ""), q.get("timestamp", ""),
            body.decode("utf-8", "replace"))
        want = base64.b64encode(hmac.new(CONF["secret"], text.encode(), hashlib.sha1).digest()).decode()
        if q.get("appkey") != CONF["app_key"]:
            return answer("070301", "appKey 不存在")
        if not hmac.compare_digest(self.headers.get("X-Nuonuo-Sign", ""), want):
            return answer("070302", "签名错误")
        if self.headers.get("accessToken") != CONF["token"]:
            return answer("070303", "accessToken 无效")
        try:
            content = json.loads(body)
        except ValueError:
            return answer("E1000", "报文不是 JSON")
        method = self.headers.get("method", "")
        base = "http://127.0.0.1:%d" % self.server.server_address[1]
        with LOCK:
            if method == "nuonuo.OpeMplatform.requestBillingNew":
                return issue(content, base)
            if method == "nuonuo.OpeMplatform.queryInvoiceResult":
                return query(content)
            if method == "nuonuo.OpeMplatform.invoiceCancellation":
                return cancel(content)
        return answer("070304", "方法不存在")


def first_line(path):
    with open(path, encoding="utf-8") as f:
        return f.readline().rstrip("\r\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--app-key", required=True)
    p.add_argument("--secret-file", required=True)
    p.add_argument("--token-file", required=True)
    a = p.parse_args()
    CONF.update(app_key=a.app_key, secret=first_line(a.secret_file).encode(), token=first_line(a.token_file))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
