// forms/capitals.h — an amount in Chinese capitals (中文大写金额) as written on
// receipts and other financial documents (BIL-21): 壹仟贰佰叁拾肆元伍角陆分.
//
// The rules (中国人民银行《支付结算办法》附件一《正确填写票据和结算凭证的基本
// 规定》, quoted on many public pages, e.g. m.studyofnet.com/432243873.html):
// - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, then 元角分; never 〇/两/毛.
// - an amount ending at 元 gets 整 after it; nothing after 角 or 分.
// - zeros inside the figure are written as one 零 (6007.14: 陆仟零柒元壹角肆分);
//   a group of four digits that is all zeros, or starts with zeros, gets one
//   零 before what follows (10010: 壹万零壹拾; 100000001: 壹亿零壹); the
//   zeros ending a group before 万/亿 are not read (101000: 壹拾万壹仟).
// - when the 元 digit is 0 and 角 is not (100.10), or 角 is 0 and 分 is not
//   (1000.01), 零 follows 元: 壹佰元零壹角, 壹仟元零壹分. The rules allow
//   the 零 in the first case; we always write it, as banks do, so that no
//   figure can be slipped in after 元.
// - a leading 拾 is written 壹拾 (10.00: 壹拾元整): the accepted banking form,
//   so that nothing can be written in front of 拾 to raise the amount.
// - under one yuan there is no 元 part: 0.05 is 伍分, 0.50 伍角; 0 is 零元整.
// - a negative amount (a red-letter reversal) gets the prefix 负.
// The amount must lie within ±kMaxFen (core/money.h); outside it is kUsage.
#pragma once

#include <string>

#include "heat/core/money.h"
#include "heat/core/status.h"

namespace heat::forms {

Result<std::string> ChineseCapitals(Fen fen);

}  // namespace heat::forms
