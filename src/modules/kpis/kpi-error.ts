/** A measure that cannot be shown as asked, with the reason in plain words for the page. */
export class KpiError extends Error {}
