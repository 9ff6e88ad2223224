#!/usr/bin/env python3
"""A fake WeChat Pay API v3 server for the tests (BIL-23): http.server and
python3-cryptography only.

It speaks the real API: every /v3 request must carry the merchant's
Authorization signature (else 401 SIGN_ERROR), and every /v3 reply is
signed with the platform key (Wechatpay-Timestamp/-Nonce/-Signature/
-Serial). Orders live in memory and in the JSON file --state.

  POST /v3/pay/transactions/{native,jsapi,h5}      create (code_url, prepay_id, h5_url)
  GET  /v3/pay/transactions/out-trade-no/NO?mchid=  query
  POST /v3/pay/transactions/out-trade-no/NO/close   close
  GET  /v3/bill/tradebill?bill_date=D              the trade bill's download_url and SHA1
  GET  /v3/billdownload/file?token=T                the bill (unsigned, as WeChat's)

Control endpoints for tests (no signature):
  POST /fake/pay {"out_trade_no", "notify": true, "repeat": 1, "forge": false, "amount": FEN}
       pays the order (transaction_id 42000…) and POSTs the encrypted, signed
       notify `repeat` times to its notify_url (forge: a wrong signature)
  POST /fake/mode {"forge_replies": bool, "bill_amounts": {"NO": FEN}}
       sign every reply wrongly / make the trade bill say another amount
  GET  /fake/state                                  the state as JSON
  GET  /fake/h5?order=NO&redirect_url=U             "微信支付 (test)" with a 确认支付 button

Keys come from files (a test makes them with openssl); the server binds
127.0.0.1 port 0 and prints its port on stdout when ready.
"""
import argparse, base64, datetime, hashlib, html, json, os, secrets, sys, threading, time
import urllib.error, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
LOCK = threading.Lock()
ARGS = None
KEYS = {}
STATE = {"orders": {}, "notifies": [], "requests": [], "forge_replies": False, "bill_amounts": {}}
BILLS = {}  # token -> bytes
SEQ = [0]


def save():
    if ARGS.state:
        tmp = ARGS.state + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(STATE, f, ensure_ascii=False, indent=1)
        os.replace(tmp, ARGS.state)


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, BEIJING).isoformat(timespec="seconds")


def sign(key, message):
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def signed_headers(body, forge=False):
    ts, nonce = str(int(time.time())), secrets.token_hex(16)
    message = f"{ts}\n{nonce}\n{body}\n" + ("forged" if forge else "")
    return {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Serial": KEYS["platform_serial"],
            "Wechatpay-Signature": sign(KEYS["platform"], message),
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}


def check_authorization(method, path, body, header):
    """None when the merchant signed this request, else why not."""
    scheme = "WECHATPAY2-SHA256-RSA2048 "
    if not header or not header.startswith(scheme):
        return "no WECHATPAY2-SHA256-RSA2048 Authorization"
    parts = {}
    for item in header[len(scheme):].split(","):
        k, _, v = item.strip().partition("=")
        parts[k] = v.strip('"')
    if parts.get("mchid") != ARGS.mchid:
        return "mchid differs"
    if parts.get("serial_no", "").upper() != KEYS["merchant_serial"]:
        return "serial_no is not the merchant certificate's"
    try:
        if abs(int(parts.get("timestamp", "0")) - time.time()) > 300:
            return "timestamp is more than 5 minutes away"
        message = f"{method}\n{path}\n{parts['timestamp']}\n{parts['nonce_str']}\n{body}\n"
        KEYS["merchant"].verify(base64.b64decode(parts.get("signature", ""), validate=True), message.encode(),
                                padding.PKCS1v15(), hashes.SHA256())
    except Exception:  # noqa: BLE001 - any failure is a bad signature
        return "signature does not verify"
    return None


def transaction(o):
    t = {"appid": ARGS.appid, "mchid": ARGS.mchid, "out_trade_no": o["out_trade_no"],
         "trade_type": o["trade_type"], "trade_state": o["trade_state"],
         "trade_state_desc": {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭"}.get(o["trade_state"], ""),
         "amount": {"total": o.get("paid_total", o["total"]), "payer_total": o.get("paid_total", o["total"]),
                    "currency": "CNY", "payer_currency": "CNY"}}
    if o["trade_state"] == "SUCCESS":
        t.update(transaction_id=o["transaction_id"], success_time=o["success_time"], bank_type="OTHERS",
                 payer={"openid": o.get("openid") or "oFakeOpenid000000000000000"})
    return t


def notify_body(o):
    plain = json.dumps(transaction(o), ensure_ascii=False, separators=(",", ":")).encode()
    nonce = secrets.token_hex(6)
    ct = AESGCM(KEYS["apiv3"]).encrypt(nonce.encode(), plain, b"transaction")
    return json.dumps({"id": "EV-" + secrets.token_hex(10), "create_time": rfc3339(time.time()),
                       "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
                       "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                                    "ciphertext": base64.b64encode(ct).decode(), "associated_data": "transaction",
                                    "nonce": nonce}}, ensure_ascii=False, separators=(",", ":"))


def send_notify(o, forge):
    body = notify_body(o)
    headers = dict(signed_headers(body, forge), **{"Content-Type": "application/json"})
    req = urllib.request.Request(o["notify_url"], data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, reply = r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        status, reply = e.code, e.read().decode(errors="replace")
    except Exception as e:  # noqa: BLE001 - the page is down: WeChat retries, we record
        status, reply = 0, str(e)
    with LOCK:
        STATE["notifies"].append({"out_trade_no": o["out_trade_no"], "forged": forge, "status": status, "reply": reply[:300]})
        save()
    return status


def pay(no, amount=None):
    with LOCK:
        o = STATE["orders"].get(no)
        if o is None:
            return None, "no such order"
        if o["trade_state"] == "CLOSED":
            return None, "the order is closed"
        if o["trade_state"] != "SUCCESS":
            SEQ[0] += 1
            now = time.time()
            o.update(trade_state="SUCCESS", success_time=rfc3339(now), success_epoch=int(now),
                     transaction_id="42000%05d%s%010d" % (SEQ[0], datetime.datetime.fromtimestamp(now, BEIJING).strftime("%Y%m%d"), SEQ[0]))
            if amount is not None:
                o["paid_total"] = int(amount)
        save()
        return dict(o), None


BILL_HEAD = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
             "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
             "手续费,费率,订单金额,申请退款金额,费率备注")
SUM_HEAD = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"


def yuan(fen):
    return "%d.%02d" % (fen // 100, fen % 100)


def trade_bill(day):
    rows, total = [], 0
    for o in STATE["orders"].values():
        if o["trade_state"] != "SUCCESS" or o["success_time"][:10] != day:
            continue
        fen = int(STATE["bill_amounts"].get(o["out_trade_no"], o.get("paid_total", o["total"])))
        total += fen
        fields = [o["success_time"][:19].replace("T", " "), ARGS.appid, ARGS.mchid, "0", "", o["transaction_id"],
                  o["out_trade_no"], "oFakeOpenid000000000000000", o["trade_type"], "SUCCESS", "OTHERS", "CNY", yuan(fen),
                  "0.00", "0", "0", "0.00", "0.00", "", "", o["description"], "", "0.00000", "0.60%", yuan(fen), "0.00", ""]
        rows.append(",".join("`" + f for f in fields))
    summary = ",".join("`" + f for f in [str(len(rows)), yuan(total), "0.00", "0.00", "0.00000", yuan(total), "0.00"])
    return ("\r\n".join([BILL_HEAD] + rows + [SUM_HEAD, summary]) + "\r\n").encode()


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-wechatpay/1"

    def log_message(self, fmt, *args):  # quiet: the test reads the state file
        pass

    def reply(self, status, obj=None, signed=True, raw=None, ctype="application/json", extra=None):
        body = raw if raw is not None else (b"" if obj is None else json.dumps(obj, ensure_ascii=False).encode())
        self.send_response(status)
        headers = {"Content-Type": ctype, "Content-Length": str(len(body)), "Request-ID": secrets.token_hex(8)}
        if signed:
            headers.update(signed_headers(body.decode(), STATE["forge_replies"]))
        headers.update(extra or {})
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message):
        self.reply(status, {"code": code, "message": message})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def do_GET(self):
        self.route("GET", "")

    def do_POST(self):
        self.route("POST", self.body())

    def route(self, method, body):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path.startswith("/fake/"):
            return self.control(method, url.path, q, body)
        with LOCK:
            STATE["requests"].append({"method": method, "path": url.path})
        why = check_authorization(method, self.path, body, self.headers.get("Authorization"))
        if why:
            return self.error(401, "SIGN_ERROR", "签名错误: " + why)
        parts = url.path.strip("/").split("/")
        if method == "POST" and parts[:3] == ["v3", "pay", "transactions"] and len(parts) == 4:
            return self.create(parts[3], body)
        if parts[:4] == ["v3", "pay", "transactions", "out-trade-no"] and len(parts) >= 5:
            return self.order(method, parts[4], parts[5:], q, body)
        if method == "GET" and url.path == "/v3/bill/tradebill":
            return self.tradebill(q)
        if method == "GET" and url.path == "/v3/billdownload/file":
            data = BILLS.get((q.get("token") or [""])[0])
            if data is None:
                return self.error(404, "RESOURCE_NOT_EXISTS", "账单不存在")
            return self.reply(200, raw=data, signed=False, ctype="application/octet-stream")
        return self.error(404, "NOT_FOUND", "no such API")

    def create(self, kind, body):
        if kind not in ("native", "jsapi", "h5"):
            return self.error(404, "NOT_FOUND", "no such API")
        try:
            r = json.loads(body)
            no, total = r["out_trade_no"], r["amount"]["total"]
            assert r["appid"] == ARGS.appid and r["mchid"] == ARGS.mchid, "appid/mchid"
            assert isinstance(total, int) and total > 0 and r["amount"].get("currency", "CNY") == "CNY", "amount"
            assert r["notify_url"] and r["description"], "notify_url/description"
            if kind == "jsapi":
                assert r["payer"]["openid"], "payer.openid"
            if kind == "h5":
                assert r["scene_info"]["payer_client_ip"] and r["scene_info"]["h5_info"]["type"], "scene_info"
        except (KeyError, TypeError, ValueError, AssertionError) as e:
            return self.error(400, "PARAM_ERROR", "参数错误: %s" % e)
        with LOCK:
            o = STATE["orders"].get(no)
            if o and o["trade_state"] == "SUCCESS":
                return self.error(400, "ORDERPAID", "该订单已支付")
            if o and (o["total"] != total or o["trade_type"] != kind.upper()):
                return self.error(400, "INVALID_REQUEST", "201 商户订单号重复")
            if not o:
                o = {"out_trade_no": no, "trade_type": kind.upper() if kind != "h5" else "MWEB", "total": total,
                     "description": r["description"], "notify_url": r["notify_url"], "trade_state": "NOTPAY",
                     "time_expire": r.get("time_expire"), "openid": (r.get("payer") or {}).get("openid"),
                     "prepay_id": "wx" + secrets.token_hex(16), "pr": secrets.token_urlsafe(9)}
                STATE["orders"][no] = o
                save()
        port = self.server.server_address[1]
        answer = {"native": {"code_url": "weixin://wxpay/bizpayurl?pr=" + o["pr"]},
                  "jsapi": {"prepay_id": o["prepay_id"]},
                  "h5": {"h5_url": "http://127.0.0.1:%d/fake/h5?order=%s&prepay_id=%s" % (port, no, o["prepay_id"])}}
        return self.reply(200, answer[kind])

    def order(self, method, no, rest, q, body):
        with LOCK:
            o = STATE["orders"].get(no)
            if method == "GET" and not rest:
                if (q.get("mchid") or [""])[0] != ARGS.mchid:
                    return self.error(400, "PARAM_ERROR", "mchid")
                if not o:
                    return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
                return self.reply(200, transaction(o))
            if method == "POST" and rest == ["close"]:
                if not o:
                    return self.error(404, "ORDER_NOT_EXIST", "订单不存在")
                if o["trade_state"] == "SUCCESS":
                    return self.error(400, "ORDERPAID", "订单已支付")
                o["trade_state"] = "CLOSED"
                save()
                return self.reply(204)
        return self.error(404, "NOT_FOUND", "no such API")

    def tradebill(self, q):
        day = (q.get("bill_date") or [""])[0]
        try:
            datetime.date.fromisoformat(day)
        except ValueError:
            return self.error(400, "PARAM_ERROR", "bill_date")
        with LOCK:
            data = trade_bill(day)
            token = secrets.token_urlsafe(12)
            BILLS[token] = data
        port = self.server.server_address[1]
        return self.reply(200, {"hash_type": "SHA1", "hash_value": hashlib.sha1(data).hexdigest(),
                                "download_url": "http://127.0.0.1:%d/v3/billdownload/file?token=%s" % (port, token)})

    def control(self, method, path, q, body):
        if method == "GET" and path == "/fake/state":
            with LOCK:
                return self.reply(200, STATE, signed=False)
        if method == "POST" and path == "/fake/pay":
            r = json.loads(body or "{}")
            o, why = pay(r.get("out_trade_no", ""), r.get("amount"))
            if o is None:
                return self.reply(404, {"error": why}, signed=False)
            codes = [send_notify(o, bool(r.get("forge"))) for _ in range(int(r.get("repeat", 1)))] if r.get("notify", True) else []
            return self.reply(200, {"transaction_id": o["transaction_id"], "notify_status": codes}, signed=False)
        if method == "POST" and path == "/fake/mode":
            r = json.loads(body or "{}")
            with LOCK:
                if "forge_replies" in r:
                    STATE["forge_replies"] = bool(r["forge_replies"])
                STATE["bill_amounts"].update({k: int(v) for k, v in (r.get("bill_amounts") or {}).items()})
                save()
            return self.reply(200, {"ok": True}, signed=False)
        if path == "/fake/h5":
            return self.h5(method, q, body)
        return self.reply(404, {"error": "no such control"}, signed=False)

    def h5(self, method, q, body):
        if method == "POST":
            q = urllib.parse.parse_qs(body)
        no, back = (q.get("order") or [""])[0], (q.get("redirect_url") or [""])[0]
        o = STATE["orders"].get(no)
        if not o:
            return self.reply(404, raw="订单不存在".encode(), signed=False, ctype="text/plain; charset=utf-8")
        if method == "GET":
            page = ("<!doctype html><html lang=zh><meta charset=utf-8><title>微信支付 (test)</title>"
                    "<h1>微信支付 (test)</h1><p>%s</p><p>¥%s</p><form method=post action=/fake/h5>"
                    "<input type=hidden name=order value='%s'><input type=hidden name=redirect_url value='%s'>"
                    "<button id=pay type=submit>确认支付</button></form></html>") % (
                        html.escape(o["description"]), yuan(o["total"]), html.escape(no, True), html.escape(back, True))
            return self.reply(200, raw=page.encode(), signed=False, ctype="text/html; charset=utf-8")
        paid, _ = pay(no)
        if paid:
            send_notify(paid, False)
        return self.reply(302, raw=b"", signed=False, extra={"Location": back or "/fake/state"})


def serial_hex(cert):
    """The serial as OpenSSL writes it (BN_bn2hex): upper-case, whole bytes."""
    h = "%X" % cert.serial_number
    return "0" + h if len(h) % 2 else h


def main():
    global ARGS
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mchid", required=True)
    p.add_argument("--appid", required=True)
    p.add_argument("--merchant-cert", required=True, help="the merchant API certificate (PEM): key and serial")
    p.add_argument("--platform-key", required=True, help="the platform private key (PEM)")
    p.add_argument("--platform-cert", required=True, help="the platform certificate (PEM): its serial")
    p.add_argument("--apiv3-key-file", required=True)
    p.add_argument("--state", help="JSON file the state is written to after every change")
    p.add_argument("--port", type=int, default=0)
    ARGS = p.parse_args()
    mcert = x509.load_pem_x509_certificate(open(ARGS.merchant_cert, "rb").read())
    pcert = x509.load_pem_x509_certificate(open(ARGS.platform_cert, "rb").read())
    KEYS.update(merchant=mcert.public_key(), merchant_serial=serial_hex(mcert),
                platform=serialization.load_pem_private_key(open(ARGS.platform_key, "rb").read(), None),
                platform_serial=serial_hex(pcert),
                apiv3=open(ARGS.apiv3_key_file, "rb").read().split(b"\n")[0].strip())
    assert len(KEYS["apiv3"]) == 32, "the APIv3 key must be 32 bytes"
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    save()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
