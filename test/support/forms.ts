/** GOV.UK date input fields (`<name>-day`, `-month`, `-year`) for a 'YYYY-MM-DD' date. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [year = "", month = "", day = ""] = iso.split("-");
  return {
    [`${name}-day`]: String(Number(day)),
    [`${name}-month`]: String(Number(month)),
    [`${name}-year`]: year,
  };
}
