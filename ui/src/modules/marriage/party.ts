// A party of a marriage or divorce as the forms edit it.
import type { Party } from "../../api";
import { readDay } from "../../dates";

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

/**
 * Reads the birth dates typed by hand into their 年-月-日 form, in place;
 * returns the messages of those that do not read, by field path.
 */
export function readBirthDates(parties: Party[]): Record<string, string> {
  const issues: Record<string, string> = {};
  parties.forEach((party, i) => {
    const read = readDay(party.birth_date);
    if ("day" in read) party.birth_date = read.day;
    else issues[`parties[${i}].birth_date`] = read.error;
  });
  return issues;
}
