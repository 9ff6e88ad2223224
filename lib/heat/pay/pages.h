// pay/pages.h — the HTML of the bill, an order and the service hall, from
// the JSON the heat_pay doors return (bill.pay_bill and friends). Every
// value is escaped (html.h); money is integer fen shown as yuan.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::pay {

// `invoices`: rows of bill.pay_invoices as a JSON array
// [{receipt_no, state, invoice_no, pdf_url}]; `msg`: a notice on top.
std::string BillHtml(const nlohmann::json& bill, const nlohmann::json& invoices, const std::string& csrf,
                     const std::string& msg);
// One order of bill["orders"]; for an open NATIVE order its QR code.
std::string OrderHtml(const nlohmann::json& order, const std::string& qr_svg);

// The e-invoices of the session's receipts (bill.pay_invoices).
Result<nlohmann::json> InvoicesOf(db::Conn& db, const std::string& token);

// A QR code of `text` as inline SVG (libqrencode), or "" when it cannot be
// encoded.
std::string QrSvg(const std::string& text);

// Labels shown to residents.
std::string HeatingStatusLabel(const std::string& status);
std::string OrderStateLabel(const std::string& state);

}  // namespace heat::pay
