import { caseRoles, type Role } from "./permissions.ts";

/**
 * What an administrator may grant (decision 0016). An administrator manages accounts and sees
 * no case records; giving their own account a case role would let them see records, so it is
 * refused, and every grant of a case role is listed for the head of service to see.
 */
export function isCaseRole(role: Role): boolean {
  return caseRoles.includes(role);
}

interface Account {
  email: string;
  displayName: string;
}

/** "jo.bloggs+sw@x.example" is Jo Bloggs's own address: the tag after "+" reaches the same inbox. */
function mailbox(email: string): string {
  const [local = "", domain = ""] = email.trim().toLowerCase().split("@");
  return `${local.split("+")[0] ?? ""}@${domain}`;
}

function plainName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, " ");
}

/** The new account is, by its mailbox or its name, the administrator's own. */
export function isOwnAccount(administrator: Account, account: Account): boolean {
  return (
    mailbox(administrator.email) === mailbox(account.email) ||
    plainName(administrator.displayName) === plainName(account.displayName)
  );
}

/** Whether an administrator may create this account with this role. */
export function mayGrantRole(administrator: Account, account: Account, role: Role): boolean {
  return !(isCaseRole(role) && isOwnAccount(administrator, account));
}
