//! Indonesian scripts, the default: written the way a trained agent writes in chat, addressing
//! the customer as "Kak".

use std::fmt::{Result, Write as _};

use super::{Handoff, Words, paragraph, sentence};
use crate::money::AmountStyle;
use crate::{Alternative, Outcome, Reason, Voucher};

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

pub(super) fn write(out: &mut String, words: &Words<'_>) -> Result {
    empathy(out, words)?;
    conduct(out, words);
    match words.verdict.outcome() {
        Outcome::Granted => grant(out, words)?,
        Outcome::Refused => {
            refusal(out, words);
            way_forward(out, words);
        }
        Outcome::Escalated => handoff(out, words),
    }
    closing(out, words);
    Ok(())
}

/// The greeting and the acknowledgement, before anything else.
fn empathy(out: &mut String, words: &Words<'_>) -> Result {
    paragraph(out);
    out.push_str("Halo Kak");
    if let Some(name) = words.name() {
        out.push(' ');
        out.push_str(name);
    }
    let order = words.order_id();
    if words.heated() {
        write!(
            out,
            ", saya mengerti Kakak sedang kesal dengan pesanan {order}, dan itu sangat bisa \
             dipahami. Mohon maaf atas pengalaman yang kurang menyenangkan ini."
        )
    } else {
        write!(
            out,
            ", terima kasih sudah menghubungi kami terkait pesanan {order}. Mohon maaf atas \
             ketidaknyamanan yang Kakak alami."
        )
    }
}

/// The lines about how the conversation goes, whatever the outcome.
fn conduct(out: &mut String, words: &Words<'_>) {
    let abusive = words.has(Reason::AbusiveLanguage);
    let advances = words.has(Reason::PersonalAdvances);
    if !abusive && !advances {
        return;
    }
    paragraph(out);
    if abusive {
        sentence(out);
        out.push_str(
            "Saya ingin membantu sampai masalah ini selesai. Supaya saya bisa melakukannya dengan \
             baik, mohon percakapan kita tetap dijaga dengan bahasa yang sopan ya, Kak.",
        );
    }
    if advances {
        sentence(out);
        out.push_str(
            "Terima kasih atas perhatiannya, Kak, tetapi di sini saya hanya dapat membahas hal \
             yang berkaitan dengan pesanan dan layanan kami.",
        );
    }
}

/// The voucher, its value and how long it can be used.
fn grant(out: &mut String, words: &Words<'_>) -> Result {
    paragraph(out);
    let Some(voucher) = words.verdict.voucher() else {
        out.push_str("Keluhan Kakak sudah kami terima dan akan kami tindak lanjuti.");
        return Ok(());
    };
    voucher_line(out, words, voucher)?;
    if words.has(Reason::ReducedToValueLimit) {
        sentence(out);
        out.push_str(
            "Nilai voucher ini sudah kami sesuaikan dengan sisa kompensasi yang tersedia untuk \
             akun Kakak pada periode ini.",
        );
    } else if words.has(Reason::ReducedToPolicyAmount) {
        sentence(out);
        out.push_str(
            "Mohon maaf, nominalnya belum bisa sebesar yang Kakak minta; nilai ini sudah sesuai \
             dengan ketentuan kompensasi kami untuk kendala seperti ini.",
        );
    }
    Ok(())
}

fn voucher_line(out: &mut String, words: &Words<'_>, voucher: &Voucher) -> Result {
    out.push_str(
        "Kami sudah mengecek pesanan tersebut, dan sebagai permohonan maaf kami berikan voucher \
         senilai ",
    );
    words.amount(out, voucher.amount(), AmountStyle::Indonesian)?;
    out.push_str(" yang bisa Kakak gunakan hingga ");
    words.date(out, voucher.valid_until(), &MONTHS)?;
    out.push('.');
    Ok(())
}

/// The refusal, with the one or two reasons that matter most.
fn refusal(out: &mut String, words: &Words<'_>) {
    paragraph(out);
    out.push_str(
        "Setelah kami cek, untuk saat ini kami belum bisa memberikan voucher untuk pesanan ini.",
    );
    for reason in words.refusals_to_explain() {
        sentence(out);
        reason_line(out, reason);
    }
}

/// An honest, blame-free explanation of one refusal reason.
fn reason_line(out: &mut String, reason: Reason) {
    let line = match reason {
        Reason::OrderCustomerMismatch => {
            "Pesanan tersebut tidak tercatat pada akun yang sedang Kakak gunakan."
        }
        Reason::OrderAlreadyCompensated => {
            "Pesanan ini sudah pernah mendapatkan kompensasi sebelumnya, dan setiap pesanan hanya \
             bisa menerima kompensasi satu kali."
        }
        Reason::ClaimWindowExpired => {
            "Laporan untuk pesanan ini kami terima setelah batas waktu pengajuan kompensasi \
             berakhir."
        }
        Reason::NotCompanyFault => {
            "Dari hasil pengecekan kami, kendala ini tidak berasal dari layanan kami, sehingga \
             tidak termasuk dalam ketentuan kompensasi."
        }
        Reason::EvidenceRequired => {
            "Untuk kendala seperti ini, kami perlu melihat foto kondisi pesanannya terlebih \
             dahulu agar tim kami bisa memprosesnya."
        }
        Reason::VoucherLimitReached => "Akun Kakak sudah mencapai batas voucher untuk periode ini.",
        Reason::VoucherValueLimitReached => {
            "Kompensasi yang tersedia untuk akun Kakak pada periode ini sudah terpakai seluruhnya."
        }
        Reason::MinorComplaintRecentVoucher => {
            "Untuk kendala ringan seperti ini, voucher belum bisa kami berikan lagi karena belum \
             lama ini Kakak sudah menerima kompensasi dari kami."
        }
        Reason::RepeatedMinorComplaints => {
            "Kami menyesal kendala ringan seperti ini sudah beberapa kali Kakak alami. Untuk \
             kendala ringan, kompensasi berupa voucher memang kami batasi dalam periode tertentu."
        }
        _ => "",
    };
    out.push_str(line);
}

/// What we can do instead, so a refusal is never a bare "no".
fn way_forward(out: &mut String, words: &Words<'_>) {
    let mut ways = words.ways_forward().peekable();
    if ways.peek().is_none() {
        return;
    }
    paragraph(out);
    out.push_str("Meski begitu, kami tetap ingin membantu.");
    for way in ways {
        sentence(out);
        out.push_str(match way {
            Alternative::SendPhoto => {
                "Silakan kirimkan foto pesanannya melalui chat ini, nanti tim kami akan segera \
                 menindaklanjutinya."
            }
            Alternative::AccountCheck => {
                "Mohon cek kembali akun yang digunakan saat memesan; bila pesanan dibuat dari akun \
                 lain, Kakak bisa mengajukannya melalui akun tersebut."
            }
            Alternative::Replacement => {
                "Bila Kakak lebih memilih penggantian barang, kami juga bisa membantu mengaturnya."
            }
            Alternative::FeedbackForwarded => {
                "Masukan Kakak akan kami teruskan ke tim terkait agar hal seperti ini tidak \
                 terulang."
            }
            Alternative::PrioritySupport => {
                "Penanganan pesanan ini, termasuk bila Kakak menghubungi kami lagi nanti, akan \
                 kami prioritaskan."
            }
        });
    }
}

/// The calm hand-off of an escalated case; the recommendation is never promised.
fn handoff(out: &mut String, words: &Words<'_>) {
    paragraph(out);
    out.push_str(match words.handoff() {
        Some(Handoff::Safety) => {
            "Apa yang Kakak sampaikan kami tanggapi dengan serius. Kasus ini sudah saya teruskan \
             ke tim kami yang menangani keselamatan, dan mereka akan menindaklanjutinya."
        }
        Some(Handoff::Legal) => {
            "Kasus ini sudah saya teruskan ke tim terkait yang berwenang menanganinya, dan mereka \
             akan menindaklanjutinya bersama Kakak."
        }
        Some(Handoff::Serious) => {
            "Karena kendala ini serius, kasusnya sudah saya teruskan ke supervisor kami agar \
             ditangani langsung dan ditindaklanjuti secepatnya."
        }
        Some(Handoff::Requested) => {
            "Sesuai permintaan Kakak, kasus ini sudah saya teruskan ke supervisor kami, yang akan \
             menindaklanjutinya secara langsung."
        }
        Some(Handoff::Approval) | None => {
            "Penyelesaian untuk kasus ini memerlukan persetujuan dari supervisor kami, jadi \
             kasusnya sudah saya teruskan dan akan segera ditindaklanjuti."
        }
    });
    sentence(out);
    out.push_str("Mohon kesediaannya untuk menunggu kabar dari kami, ya.");
}

/// Thanks for loyalty (for tiers that are thanked) and the offer of further help.
fn closing(out: &mut String, words: &Words<'_>) {
    paragraph(out);
    if words.thank_loyalty() {
        out.push_str("Terima kasih sudah menjadi pelanggan setia kami.");
    }
    sentence(out);
    out.push_str("Apakah ada hal lain yang bisa saya bantu, Kak?");
}
