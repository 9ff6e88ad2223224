#!/usr/bin/python3
"""Load for scripts/bench-heatpay: residents looking their bills up and
WeChat Pay notifying payments, through lighttpd and heatpay.cgi.

    heatpay_load.py URL HOUSES.tsv ORDERS.tsv PLATFORM_KEY PLATFORM_SERIAL APIV3_KEY_FILE CLIENTS

HOUSES.tsv: code<TAB>factor per line; ORDERS.tsv: out_trade_no<TAB>amount_fen.
A look-up is what a resident's phone does: GET / (the form and its token),
POST /lookup, GET /bill; its time is what the resident waits for after
pressing 查询: the POST and the GET of the bill it redirects to. Every order is
notified twice (WeChat repeats); each notify's time is one POST /notify.
Notifies are signed and encrypted beforehand, so the clock covers the
page only. Prints one JSON line: lookup and notify latencies in ms.
"""
import base64
import http.client
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def notify_request(key, serial, apiv3, no, amount, n):
    tx = "42" + no[2:]   # HPyyyymmddNNNNNNNNNN: one transaction per order, whatever ran before
    plain = json.dumps({"mchid": "1900000109", "appid": "wx8888888888888888", "out_trade_no": no,
                        "transaction_id": tx, "trade_type": "NATIVE", "trade_state": "SUCCESS",
                        "trade_state_desc": "支付成功", "bank_type": "OTHERS", "attach": "",
                        "success_time": time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.localtime()),
                        "payer": {"openid": "o" + secrets.token_hex(8)},
                        "amount": {"total": amount, "payer_total": amount, "currency": "CNY",
                                   "payer_currency": "CNY"}}, ensure_ascii=False)
    nonce = secrets.token_hex(6)
    ct = AESGCM(apiv3).encrypt(nonce.encode(), plain.encode(), b"transaction")
    body = json.dumps({"id": secrets.token_hex(16), "create_time": "", "resource_type": "encrypt-resource",
                       "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
                       "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                                    "ciphertext": base64.b64encode(ct).decode(), "associated_data": "transaction",
                                    "nonce": nonce}})
    return body


def sign_headers(key, serial, body):
    ts, nonce = str(int(time.time())), secrets.token_hex(16)
    sig = base64.b64encode(key.sign(("%s\n%s\n%s\n" % (ts, nonce, body)).encode(), padding.PKCS1v15(),
                                    hashes.SHA256())).decode()
    return {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Signature": sig,
            "Wechatpay-Serial": serial, "Content-Type": "application/json"}


class Client:
    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies = {}

    def go(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return r.status, data.decode("utf-8", "replace")


def lookups(url, houses, out, errors):
    u = urllib.parse.urlparse(url)
    for code, factor in houses:
        c = Client(u.hostname, u.port)
        s1, page = c.go("GET", "/")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        t0 = time.perf_counter()
        s2, _ = c.go("POST", "/lookup", urllib.parse.urlencode({"csrf": token, "house": code, "factor": factor}),
                     {"Content-Type": "application/x-www-form-urlencoded"})
        s3, bill = c.go("GET", "/bill")
        out.append((time.perf_counter() - t0) * 1000)
        if (s1, s2, s3) != (200, 303, 200) or code not in bill:
            errors.append("lookup %s: %s %s %s" % (code, s1, s2, s3))


def notifies(url, bodies, key, serial, out, errors):
    u = urllib.parse.urlparse(url)
    c = Client(u.hostname, u.port)
    for body in bodies:
        h = sign_headers(key, serial, body)
        t0 = time.perf_counter()
        s, text = c.go("POST", "/notify", body.encode(), h)
        out.append((time.perf_counter() - t0) * 1000)
        if s not in (200, 204):
            errors.append("notify: %s %s" % (s, text[:200]))


def p(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))] if v else 0.0


def main():
    url, houses_f, orders_f, key_f, serial, apiv3_f, clients = sys.argv[1:8]
    clients = int(clients)
    key = serialization.load_pem_private_key(open(key_f, "rb").read(), None)
    apiv3 = open(apiv3_f, "rb").read().strip()
    houses = [l.rstrip("\n").split("\t") for l in open(houses_f) if l.strip()]
    orders = [l.rstrip("\n").split("\t") for l in open(orders_f) if l.strip()]
    bodies = []
    for n, (no, amount) in enumerate(orders):
        b = notify_request(key, serial, apiv3, no, int(amount), n)
        bodies += [b, b]   # WeChat repeats
    res = {}
    for name, work, items in (("lookup", lookups, houses), ("notify", notifies, bodies)):
        out, errors, threads = [], [], []
        t0 = time.perf_counter()
        for i in range(clients):
            part = items[i::clients]
            args = (url, part, out, errors) if name == "lookup" else (url, part, key, serial, out, errors)
            threads.append(threading.Thread(target=work, args=args))
            threads[-1].start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        res[name] = {"n": len(out), "errors": len(errors), "first_error": errors[0] if errors else "",
                     "per_s": round(len(out) / wall, 1), "p50_ms": round(p(out, 0.5), 2),
                     "p99_ms": round(p(out, 0.99), 2)}
    print(json.dumps(res))


if __name__ == "__main__":
    main()
