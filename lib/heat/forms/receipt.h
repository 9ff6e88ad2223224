// forms/receipt.h — the receipt of a payment on paper (BIL-21, BIL-12):
// what billctl charge/reprint and the counter terminal call after a charge.
//
// Contract:
// - A receipt is drawn from the database alone (bill.receipt and its
//   entry, account, house, customer, season), on the placement file
//   receipt.yaml found in counter.templates (placement.h): the amount in
//   figures and in Chinese capitals (capitals.h), customer, address,
//   house code, season and its dates, method, channel, cashier, date and
//   time, receipt number, a QR code to verify it, "副本 n COPY n" when
//   bill.receipt.prints > 1 (the original is prints = 1), "作废 VOID"
//   across a voided one.
// - Rendering never changes anything; a copy is counted only by
//   CountCopy (bill.reprint), which the caller runs in the transaction
//   that produces the copy, so that a copy that was not produced is not
//   counted.
// - The QR code holds the text HEATRCPT1;RECEIPT;AMOUNT_FEN;YYYY-MM-DD;MAC
//   where MAC is the first 16 hex digits of HMAC-SHA256 over everything
//   before the last ';' under the company's key (counter.receipt_key_file),
//   or empty when no key is configured. VerifyReceipt checks the MAC (when
//   a key is configured: a missing or wrong one is refused) and that the
//   receipt exists with that amount and date, and says whether it is
//   issued or voided.
// Not thread-safe (mstch's escaping is process-wide while a form renders).
#pragma once

#include <string>
#include <string_view>

#include "heat/core/config.h"
#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::forms {

struct Receipt {
  std::string receipt_no, status;  // status: issued | voided
  int prints = 1;                  // 1: the original; n > 1: copy n
  Fen amount = 0;                  // paid, > 0
  std::string house, customer, address, season, period;  // period: "2026-11-15 至 2027-03-31"
  std::string method, channel, cashier, date, time;      // date YYYY-MM-DD, time HH:MM:SS (company time)
};

// The receipt as stored; kNotFound when there is none.
Result<Receipt> LoadReceipt(db::Conn& db, const std::string& receipt_no);
// Counts one more copy (bill.reprint) and returns the new count.
Result<int> CountCopy(db::Conn& db, const std::string& receipt_no);

// The QR text of a receipt; key "" gives an empty MAC.
std::string ReceiptPayload(const Receipt& r, const std::string& key);
// The company's key from counter.receipt_key_file ("" when not configured).
Result<std::string> ReceiptKey(const Config& cfg);

struct RenderOptions {
  bool preprinted = false;  // leave out the form's own printing (labels)
};
struct Rendered {
  std::string pdf;    // the PDF's bytes
  std::string media;  // lp -o media=... from the placement ("" default)
  Receipt receipt;
};
// The receipt drawn as it is stored now (COPY n when prints > 1).
Result<Rendered> RenderReceipt(db::Conn& db, const Config& cfg, const std::string& receipt_no,
                               const RenderOptions& opt = {});

// Parsed QR text; kUsage when it is not one.
struct Payload {
  std::string receipt_no, date, mac;
  Fen amount = 0;
};
Result<Payload> ParsePayload(std::string_view text);

struct Verdict {
  Payload payload;
  std::string mac;     // ok | bad | absent | unchecked (no key configured)
  std::string status;  // issued | voided | unknown
  bool amount_matches = false, date_matches = false;
  bool valid = false;  // mac ok or unchecked, issued, amount and date match
  std::string why;     // when not valid: the first reason
};
Result<Verdict> VerifyReceipt(db::Conn& db, const std::string& key, std::string_view text);

}  // namespace heat::forms
