-- 016 partner referrals (issue 15, decision 0025): a practitioner of a partner agency (police,
-- health, a school) refers a child the council may not know, or whose record is not shared with
-- them. The referral is a contact like any other; this table holds what only a partner's
-- referral has: the child as the referrer knows them (until the front door identifies the
-- record, the contact has no contact_child row), the referrer's own contact details, and
-- whether the family knows. The details typed are kept as received, beside the contact, for as
-- long as the contact is kept: they are what was referred, even when they differ from the
-- record the front door linked.
create table partner_referral (
  id uuid primary key default gen_random_uuid(),
  la_id uuid not null references local_authority (id),
  contact_id uuid not null unique references contact (id),
  referred_by uuid not null references app_user (id),
  organisation_id uuid not null references organisation (id),
  child_given_name text not null check (length(child_given_name) between 1 and 100),
  child_family_name text not null check (length(child_family_name) between 1 and 100),
  child_date_of_birth date,
  child_address text not null default '' check (length(child_address) <= 500),
  child_postcode text not null default '' check (length(child_postcode) <= 10),
  child_nhs_number text,
  child_upn text,
  child_school text not null default '' check (length(child_school) <= 200),
  referrer_role text not null check (length(referrer_role) between 1 and 200),
  referrer_phone text not null check (length(referrer_phone) between 1 and 40),
  referrer_email text not null default '' check (length(referrer_email) <= 200),
  family_aware text not null check (family_aware in ('consented', 'aware_not_consented',
    'not_told')),
  not_told_reason text not null default '' check (length(not_told_reason) <= 2000),
  -- The child's record, once the front door has identified it (linked or created).
  person_id uuid references person (id),
  identified_by uuid references app_user (id),
  identified_at timestamptz,
  created_at timestamptz not null default now(),
  check ((person_id is null) = (identified_by is null)
    and (person_id is null) = (identified_at is null))
);
create index partner_referral_referrer on partner_referral (referred_by, created_at desc);
create index partner_referral_to_identify on partner_referral (la_id, created_at)
  where person_id is null;
create index partner_referral_person on partner_referral (person_id) where person_id is not null;
comment on table partner_referral is 'A partner agency''s referral: the child as the referrer described them, until the front door identifies the record.';
comment on column partner_referral.child_given_name is 'Personal data: the child''s first name as the referrer gave it.';
comment on column partner_referral.child_family_name is 'Personal data: the child''s last name as the referrer gave it.';
comment on column partner_referral.child_date_of_birth is 'Personal data: the child''s date of birth as the referrer gave it.';
comment on column partner_referral.child_address is 'Personal data: the child''s address as the referrer gave it.';
comment on column partner_referral.child_postcode is 'Personal data: the child''s postcode as the referrer gave it.';
comment on column partner_referral.child_nhs_number is 'Personal data: the child''s NHS number as the referrer gave it.';
comment on column partner_referral.child_upn is 'Personal data: the child''s unique pupil number as the referrer gave it.';
comment on column partner_referral.child_school is 'Personal data: the child''s school or nursery as the referrer gave it.';
comment on column partner_referral.referrer_role is 'Personal data: the referrer''s job title.';
comment on column partner_referral.referrer_phone is 'Personal data: the referrer''s telephone number.';
comment on column partner_referral.referrer_email is 'Personal data: the referrer''s email address.';
comment on column partner_referral.family_aware is 'Whether the family knows of the referral and consented.';
comment on column partner_referral.not_told_reason is 'Personal data: why the family was not told or did not consent.';
