// A party of a marriage or divorce as the forms edit it.
import type { Party } from "../../api";

export function blankParty(sex: "male" | "female"): Party {
  return {
    doc_type: "id_card", doc_number: "", name: "", sex, birth_date: "",
    ethnicity: "汉族", nationality: "中国", occupation: "", education: "", address: "", phone: "",
  };
}

// An ID card number tells the birth date and sex: filled in as soon as it is
// typed (the rules check them again against the number).
export function fromIdNumber(party: Party) {
  const n = party.doc_number.trim().toUpperCase();
  if (party.doc_type !== "id_card" || !/^\d{17}[\dX]$/.test(n)) return;
  party.birth_date = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  party.sex = Number(n[16]) % 2 === 1 ? "male" : "female";
}

export const partyFields = ["doc_number", "name", "birth_date", "ethnicity", "nationality", "occupation", "education", "address", "phone"] as const;
