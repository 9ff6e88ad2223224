// Known-answer vectors of WeChat Pay v3 for tests/unit/wechat_*_test.cc
// and the fuzz seeds, made ONCE by an independent implementation
// (python3-cryptography), not by the code under test:
//   python3 gen.py   (the script below), then pasted here;
// the Authorization signature was cross-checked with the openssl CLI:
//   printf 'POST\n/v3/pay/transactions/native\n1763000000\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"a":1}\n' |
//     openssl dgst -sha256 -sign merchant_key.pem | base64 -w0      (equal to kAuthSignature)
// and the certificate's serial with openssl x509 -noout -serial.
// The keys are test keys made for this file and nothing else.
//
// # Test vectors of tests/unit/wechat_vectors.h (python3-cryptography 48).
// import base64, json, datetime
// from cryptography import x509
// from cryptography.x509.oid import NameOID
// from cryptography.hazmat.primitives import hashes, serialization
// from cryptography.hazmat.primitives.asymmetric import rsa, padding
// from cryptography.hazmat.primitives.ciphers.aead import AESGCM
// mk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
// pk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
// name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA test")])
// t0 = datetime.datetime(2025, 1, 1)
// cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(pk.public_key())
//         .serial_number(0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1).not_valid_before(t0)
//         .not_valid_after(t0 + datetime.timedelta(days=3650)).sign(pk, hashes.SHA256()))
// pem = lambda k: k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
// sign = lambda k, m: base64.b64encode(k.sign(m.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
// open("merchant_key.pem", "w").write(pem(mk)); open("platform_key.pem", "w").write(pem(pk))
// open("platform_cert.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
// out = {}
// out["auth_sig"] = sign(mk, "POST\n/v3/pay/transactions/native\n1763000000\n593BEC0C930BF1AFEB40B4A08C8FB242\n{\"a\":1}\n")
// out["jsapi_sig"] = sign(mk, "wx8888888888888888\n1763000000\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n")
// out["resp_sig"] = sign(pk, "1763000000\nNONCE123\n{\"code_url\":\"weixin://wxpay/bizpayurl?pr=p4lpSuKzz\"}\n")
// key = b"0123456789abcdefghijklmnopqrstuv"
// tx = json.dumps({"mchid": "1900000109", "appid": "wx8888888888888888", "out_trade_no": "HP202511130000000001",
//   "transaction_id": "4200000001202511130000000001", "trade_type": "NATIVE", "trade_state": "SUCCESS",
//   "trade_state_desc": "支付成功", "success_time": "2025-11-13T10:13:20+08:00",
//   "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}, "amount": {"total": 123456, "payer_total": 123456,
//   "currency": "CNY", "payer_currency": "CNY"}}, ensure_ascii=False, separators=(",", ":"))
// ct = base64.b64encode(AESGCM(key).encrypt(b"fdasflkja484", tx.encode(), b"transaction")).decode()
// out["tx"] = tx; out["ct"] = ct
// body = json.dumps({"id": "EV-2018022511223320873", "create_time": "2025-11-13T10:13:21+08:00",
//   "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
//   "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM", "ciphertext": ct,
//   "associated_data": "transaction", "nonce": "fdasflkja484"}}, ensure_ascii=False, separators=(",", ":"))
// out["notify"] = body
// out["notify_sig"] = sign(pk, "1763000000\nNOTIFYNONCE\n" + body + "\n")
// json.dump(out, open("vectors.json", "w"), ensure_ascii=False, indent=1)
#pragma once

#include <cstdint>
#include <string_view>

#include "heat/wechat/merchant.h"

namespace heat::wechat::vectors {

inline constexpr int64_t kTimestamp = 1763000000;  // 2025-11-13T10:13:20+08:00
inline constexpr std::string_view kMchid = "1900000109";
inline constexpr std::string_view kAppid = "wx8888888888888888";
inline constexpr std::string_view kMerchantSerial = "3775B6A45ACD588826D15E583A95F5DD12345678";
inline constexpr std::string_view kPlatformSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
inline constexpr std::string_view kApiV3Key = "0123456789abcdefghijklmnopqrstuv";
inline constexpr std::string_view kMerchantKeyPem = R"~(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDYiToq74MN34B7
7k6HdSrvEN/zxi15vJ41r85Vgbek4P7DZSiQe13Di3++/6uPiTD+TeMYjR2ZtTm1
cgwOB3OrcJMXyzG8+yHn7FkDSO3g7pH8cLjF6cRIh03PrZlcUROYenGx/HbDARm4
+3RsbaNjXA8kZQfkPJ+9HsHl650EEbBa0cOda8/mLcn4rvsx//zekb0iyb88XQw8
YbXJneaolAjm4dDNLqNr273U0AwU3ZEimkhV5DEBPhXpmmQH73xfTlNQWV7ipiW1
y2rFJ8/5DZSp9LADmv7AIDF0PLsXeSQLvrb3r0qSbkBdewr4BKAu1AhfMhylrTkT
cJYcqSjTAgMBAAECggEAIavdJrYN7AdYRG0/OuMmZPx7xr2Hbsm81F5dOICuXO47
z4iYcTct0m2L1NiPBgfwXWshKD0xYCiFK8jrRPc1rnAX/3gyaM+oaxcelFsv2m1e
uCGTKft68UhQ+j1lfqyA3pITwfifQx2VsWUwqne2E4pKNH+dZYlj0ZXJ0wX7aZlJ
VXWqLyjcJ2Lao37wBRw9ZyTStiEDSRLf60SjLl5E239XNZ8BUBR5KAmS6hOdPJv+
C7dL7QA7iOPNrdgfKYZdJOgsU6dL4CdY/63mNje9zJx9LQzEZs2X4mYqLnybfKp5
RzRKTD5qwiqCXM23JLDhiWK7p2owNOs45Yreequ3CQKBgQDv+fahx5EJ91qdFPsC
cdYZ7rA96pOjkM11s6AW6ElJ2iI50vWBJ52EfV0CVHxgjIVJI9kxBSTuaaVQ+VVL
ldeZZUoKg6M4FMhkMV336RsrvnVHLld620kb9xZxxY4WVdxiBaFXw28SvIp3dOqs
T9k2JCmJoRksMnsj8YeYIQCulQKBgQDm/pX1x2jLgN+iZJr9PvbBA97wNiIgipL0
TeksdSBhx6HLvOBOKZqirJyNI15p40yiVa/K0SHrOJVp/LWb1U4N2ZqMLShPQvIm
UvF7su3Es1C9lK9720a9iEB4mdZ1swS7WZmakymCZxpbk9Tftt1Ccg3RwtlemXFj
3Xak9/XnxwKBgQDJndQFRdroaaX6tYbSHfwIW4485tlVobHNArYsqMnyP09kD4Zu
FW90wbKj44F/yG+u7Gxsj+rgV2gqKODtmR3DZeMYBFLcKjHWY9eUEofeb6yuuhOL
R7MbyLNVsOnYgBihTiOozayDLF6VUGhdjtRqdWVkmTHB/UOSBjmqqYeeJQKBgCgn
/+fPN6+RAs+XT75QsNLTGnGF557imDNyS+PXpL561uy1NAVChEhdW4XJrUMZKZxa
6wmGG7BpkMfxD508kqojtxNBUm2dBL2W07YeX+k/Bv0+GNeeQgj248ZTcA3cBimP
pP1TMfcid1mONIaDoqlHbJGXnvQsFqM2v8Zj+NLHAoGAKBqxfloqiljEn1DR9hZ8
cuc8jLbnDKKNz/2b+d66k7HzwSQSY897bEj0zsMg7gPP55eI54HmHEeu9DJ9g09Y
yT5qx7bfXXpvvwkQ3fJh3ldrONRZnd1tUkE+YdngHWkhwuN1F5aztQZ2Zg8RKXtA
sfPn579msnw6lUGoeYFl61c=
-----END PRIVATE KEY-----
)~";
inline constexpr std::string_view kPlatformKeyPem = R"~(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCsRukFodUZ/8kh
RRT+sTwcL8Sw9XD+r0tMxzLThwurgyQ3jCdrG4gnv5AOWxZsYrZCnWzs1wjqOzRB
8HoEP6fiMrZfP8eF/VVc7T2iyr0nit6G/brkKjCbt80mk20/B7ApKfk4ENoX6FHq
pEiaiaMk+g5NhhlthhiLnYd5AL3AmNXe36Xd/eql4sbVPjCwEtDmrlxmVVr3pg5F
wCFKoW+8yfDZ+TTyBAEg02dzXoU07SaZMwSrm7aCYB6HTOD4bxE3z5g6w/z5wSWH
IlmYN7vbHYyF9p1uTkwxvORu5PFqpamWyIIkybAjHtjWXJSIpqTvIQwKp1/Qke1q
YQk5Oft/AgMBAAECggEAPMzr6YZzeLEK8Xh5j+fKMKJ1NwTwg5onJ6o32GqVZksq
yYXn1YfKdkjH1SE1mTv/WiRIMJA1v8D0UP9HeN9kZ1MBhT0ztCiz6095TM5jkqSS
o67Bukvfit2EBETMrg2PEQAUykI8Tmq6Gmcvjobb8q1jxd15dOt6FzAaA00NKv7R
KbzouZijHYOIeSE7uhqWE7nBvTIajao6WRXCMH+jKdMaIIzmSXRUl/BKG1gQpvnJ
XiEtCspV38SiwUPUgIQCM0d7T9ac8HJDLWky1d2uxbsoflae2MMu51A+EENgAqpY
nQ0z195TrbqiOcFp8I8bGejvG5dp+/yROWAt5GTPKQKBgQDd/oJkzVO7w6A4CUe9
PFx29Bng9v0rksq8rVbrf4NHSLseVHXiYs5F7dTcZ+3piTgbZL9/WYulvGOc9Lu5
ZJQNVdTSHUFNpK1j4qOBFyaZzOyFxjLk6M8dbnRkV43mRIUBcAP+lMeIv3MADEwy
kHUJMEZPzco05rZ8RAfNyl8h6QKBgQDGqr511nsw7Jn8KLM9zoAngbhjNRVp+XtX
ZxRGoXcBaqFl4A4vVMqDjR+PD5l+ZpC7I5l88T7qP+mhFDqjQSB0QnmV+JDh2LgY
LTznmbF7GAa7i/sor+MqJypyPUbTYyc5AazEuEF379tJCEVTKow0ZZWK834/ItRq
vIhsc/GpJwKBgFp+0fD9stCsIrg1MEV4QclMIPCQPwxwPq1DjFdcF8wLXhwzGgs7
dBMVrNxckaPOCE1CeL4VZtQdRA5LxesBkUkOYD93JZPdOcGqNjT9lwLDgvfVoBGo
xiWdTV1KQ9JGxGGdpEM3q0+Xm+29FaLXOJ6SS1dk8LU4B9QId5XwlW9hAoGBAJDl
gYpCh5EUT+745Fok3ZVy6D/7PIYRfuMtfD1TkI+I7PR3qQDeb+HosObPstzdA5xq
B414CrIhMU3Zijb9ziTdQv6dz1XZkdOYUv58O1UTHf31x5ZSSnW5IR03EgwlGjta
vF6yIJXQa/hlPuK8eovQt3QjyaVUyuaaYUnweoYrAoGAcBXlzeWFR1e493B1kRUd
TQeIrHklxbGzS73PCTxi3F5GWLDDWqJyYABUup8rnbcWVpQDgQHgovWvZ57bTgHz
3rFb2Nc+/zWq5oF0qIo38sDE3QN8FGnzj93AU2+RgB+N6t+WmcuO7s1QBSKNM5UJ
CddwaTaCePhDcroYkEH9Eaw=
-----END PRIVATE KEY-----
)~";
inline constexpr std::string_view kPlatformCertPem = R"~(-----BEGIN CERTIFICATE-----
MIIC0DCCAbigAwIBAgIUUVfwnv3Alt4V6+gaRwV6cjLxuOEwDQYJKoZIhvcNAQEL
BQAwIjEgMB4GA1UEAwwXVGVucGF5LmNvbSBSb290IENBIHRlc3QwHhcNMjUwMTAx
MDAwMDAwWhcNMzQxMjMwMDAwMDAwWjAiMSAwHgYDVQQDDBdUZW5wYXkuY29tIFJv
b3QgQ0EgdGVzdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKxG6QWh
1Rn/ySFFFP6xPBwvxLD1cP6vS0zHMtOHC6uDJDeMJ2sbiCe/kA5bFmxitkKdbOzX
COo7NEHwegQ/p+Iytl8/x4X9VVztPaLKvSeK3ob9uuQqMJu3zSaTbT8HsCkp+TgQ
2hfoUeqkSJqJoyT6Dk2GGW2GGIudh3kAvcCY1d7fpd396qXixtU+MLAS0OauXGZV
WvemDkXAIUqhb7zJ8Nn5NPIEASDTZ3NehTTtJpkzBKubtoJgHodM4PhvETfPmDrD
/PnBJYciWZg3u9sdjIX2nW5OTDG85G7k8WqlqZbIgiTJsCMe2NZclIimpO8hDAqn
X9CR7WphCTk5+38CAwEAATANBgkqhkiG9w0BAQsFAAOCAQEAgqPS43wn8ocrZFPE
RzhiMv3a3C/j8rbo4Dbd7I9gVmTdxR/37qOB/Jufk0EEc/E/G8pzNgmaFGmNbHM8
ND/1eS6iJe6y1qHSnld4KKW92TXKAEYdpz2lR0UDxV25LT8jgsjxHOsq3HQLaADC
LalQlCHTUGXsrgXXNhjpePmpC10VG073rUKrL2AKGr1NmeG2TCI3xuoJruXGI1ZN
nxEtk0aGMtTi/9bL4NqouGBptfK3xYBmfkZzVg9QXA0+dj6ZQCjNS3/iI2sDFL+4
90EzRYwZgEADoTGpNYT+5YbFZH7SZQNKRYOWrjZE++z/34lC0xC4NHUD/hA5zjE/
AzdSww==
-----END CERTIFICATE-----
)~";
// RSA-SHA256 of "POST\n/v3/pay/transactions/native\n1763000000\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"a":1}\n"
// with the merchant key.
inline constexpr std::string_view kAuthSignature = R"~(ldmPeVhOGLo5XHAlYrNKpNp7ArzAWKTvmaOUzz7lP2eDGmceKGLztCH8YIyMgvRv2fsgHZsRoZVU9MMxL2NLJ6J2Hu/vKHhnVuP8Q1btDwH9H6pF6VkXEpsT/5A/zdCR8bPX/EWYkfdQkRIPAtNMxQ+wacwhDmaYOkiUqFFli3uAN0ySBUgNAo4F/lOZrHHt7uG7Hv6jYT6v03y9ZNqL35808kj+q1WGabJUtcGmAm7k8tieNXCtheggzaL6XlXBFeuzSH4xigtFX0vLDcz5gXqSMYHVxyIgo1LaFZavcgDPsnzNsTJ2OUE5UcTkwGB2BhK42EHFzQFx2U5cwbv58Q==)~";
// The JSAPI pay-sign of prepay_id wx201410272009395522657a690389285100, nonce
// 5K8264ILTKCH16CQ2502SI8ZNMTM67VS, timestamp 1763000000, appid kAppid.
inline constexpr std::string_view kJsapiSignature = R"~(1WeSScilQRSbzJ23pb3HJDNaVDp1lHbT6kcfCHgMosAian3f5pivrvpdIsRvqLMy4nQb0BPUlsU7Oyd9pdFvahl5PPCNmcRdMNQrwPMu7sUn0yCAc/OzXtd0l5zGMgy0qQHLHiH/nTidRrBv9J5RrePD4jRVnbBscp6GJUrC4Vrnu+BsA1awZhtQsuTFvCHg0SSct+zw+5dMPjJNWh1usQtlMo9VhUZi/HrGcG1GBLg5uMUcJqGykARPCMJ9E6UpesFFVHhR6piySOnq/vVjvvIk0J1vjNCLVsKyuwjCe4OaIvZYHa8MLd0SArHtDw0rtbplmm7D7kRhXp4QomQnaQ==)~";
// A reply {"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"} signed by the
// platform key, nonce NONCE123, timestamp 1763000000.
inline constexpr std::string_view kReplySignature = R"~(KapR7Uo+FiaJ/P3+qKGFr09Z1fAQFxTfKQwhnyOTzLCjeXUxdrPu1XkfQqE484vNEnnTDpOGUkxkixF1ntzOMlJudjziJEPFGHSeYZ+khNmYtnR1bQSnHgBji2E8cl6b39MBRPoWDShNZOgcjkT3QwcpidT7wiFsqItMLYLiKZgt/dBI1nQBDfK9WOfl1ghzDxbTGO+wwy4v9ZNAD3XNOY4CddLlj3zpiiPJJYXQYOA+Aruud7daGuQMLnl2cFHXArVo7K4LjTWPItaPy1IIK7d7nqL2JVEWgtxW2NX5rp61/QyFgxLV8wWiw4V8/3fkzr8R/V0UVIDfKrkbjJxMNg==)~";
// The transaction, and its AEAD_AES_256_GCM ciphertext (nonce fdasflkja484, associated data transaction).
inline constexpr std::string_view kTransactionJson = R"~({"mchid":"1900000109","appid":"wx8888888888888888","out_trade_no":"HP202511130000000001","transaction_id":"4200000001202511130000000001","trade_type":"NATIVE","trade_state":"SUCCESS","trade_state_desc":"支付成功","success_time":"2025-11-13T10:13:20+08:00","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":123456,"payer_total":123456,"currency":"CNY","payer_currency":"CNY"}})~";
inline constexpr std::string_view kCiphertext = R"~(kdUy8AAEd+F97t+v/8pygRXtZHctC3RtMchS24m9Vng9lHppM9DYR+Hxr97KWZrRojHDjRbuQcOvBYq9jNsZHTq6GhrV6P6wViVF2bwANPgKZOh9RwDFIkuqPXOZP2hhL05y754bLLhL5b5d2L1ISNvcNXvLs4ZhO1PgxaHOIxEcB6wHesDSEaQJir69iBuiu4tntE7S7fEJ2qpizmOOZMlNUuZVLJvZ8z37IhMXQvmPDXnBdXMYvosWx7q0NyBBy6wcmVenvRaiY/4hn/TOBLWikyopueRuwzmFPvOGPnTeNqsFNIg9q3VdtjYH453EDNJ/zrMZJbOjIV5+nS4hKTx7Z2YH1eVOuUhw84IkyoHrKLDhXq8sC6S4qDYoFFvQzg7A1M5Zxi9govAYfGaceSe8o3pgcnzZD+rrxEEvqjNj2j3xbm49nhq/D+COyqo4Q5+MBaEGskjY6CLbtXo9H+cOBCYoVo9gkPmuWw+T1C/67mnPbQMvBylZ614p3MBDD+sqrZ6WcqS7hL/gsbpYGiOHHVSiBfIVVjcxrKc=)~";
// The notify carrying it, signed by the platform key: nonce NOTIFYNONCE, timestamp 1763000000.
inline constexpr std::string_view kNotifyBody = R"~({"id":"EV-2018022511223320873","create_time":"2025-11-13T10:13:21+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"kdUy8AAEd+F97t+v/8pygRXtZHctC3RtMchS24m9Vng9lHppM9DYR+Hxr97KWZrRojHDjRbuQcOvBYq9jNsZHTq6GhrV6P6wViVF2bwANPgKZOh9RwDFIkuqPXOZP2hhL05y754bLLhL5b5d2L1ISNvcNXvLs4ZhO1PgxaHOIxEcB6wHesDSEaQJir69iBuiu4tntE7S7fEJ2qpizmOOZMlNUuZVLJvZ8z37IhMXQvmPDXnBdXMYvosWx7q0NyBBy6wcmVenvRaiY/4hn/TOBLWikyopueRuwzmFPvOGPnTeNqsFNIg9q3VdtjYH453EDNJ/zrMZJbOjIV5+nS4hKTx7Z2YH1eVOuUhw84IkyoHrKLDhXq8sC6S4qDYoFFvQzg7A1M5Zxi9govAYfGaceSe8o3pgcnzZD+rrxEEvqjNj2j3xbm49nhq/D+COyqo4Q5+MBaEGskjY6CLbtXo9H+cOBCYoVo9gkPmuWw+T1C/67mnPbQMvBylZ614p3MBDD+sqrZ6WcqS7hL/gsbpYGiOHHVSiBfIVVjcxrKc=","associated_data":"transaction","nonce":"fdasflkja484"}})~";
inline constexpr std::string_view kNotifySignature = R"~(cgCxMlP9M5G4713HsEn9S3b4l2QbEE2kM8i8uff4Qg0ZyRtmZgof33X8GMy0jE/KI0+8Fy2uKMcBdh0iXq61GyD8XjGSRuTaB2efAZ4gC/Ig+NANCb+a73Jw1aJyHuS8SDa1QQsSKlzqYOt9yoTh+jZkV2TfrXIGkcaMOt8tYGeeM41Hg+H3gT5TlNLODT6bSZ+95So0dmcbCFc4nQ4X0DbTCCjMzcZsta2QR9DtlFOUfNCMDE3V/fJvsSJPoVZaf9//nD5m8YTSKXN8RaczNSI9KbyqLyCjG1KTwZZ3LCRFrcZs2hpjv5+X1VEZGoY+uzN4n37vyLYT2sQTUUSbRA==)~";

// The merchant of these vectors (the keys parsed from the PEMs above).
inline Merchant TestMerchant() {
  Merchant m;
  m.mchid = kMchid;
  m.appid = kAppid;
  m.serial_no = kMerchantSerial;
  m.private_key = PrivateKeyFromPem(kMerchantKeyPem).value();
  m.apiv3_key = kApiV3Key;
  m.platform_keys = PlatformKeysFromPem(kPlatformCertPem).value();
  m.notify_url = "https://pay.example.cn/heatpay.cgi/notify";
  return m;
}

}  // namespace heat::wechat::vectors
