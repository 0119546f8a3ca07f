-- 028 UASC status and social worker episodes for the SSDA903 (issue 17, decision 0037).
-- A looked-after child's status as an unaccompanied asylum-seeking child and the date it
-- ceased (the 903's UASC table), and the social worker's Social Work England registration
-- number, which the 903's SWEpisodes table sends as SW_ID. The reason an allocation ended
-- (allocation.end_reason, the 903's SW_REASON codes) is now asked when it is ended by hand too.

alter table person add column uasc boolean not null default false;
alter table person add column uasc_ceased_on date;
alter table person add constraint person_uasc_ceased check (uasc_ceased_on is null or uasc);
comment on column person.uasc is 'Personal data: the child is or was an unaccompanied asylum-seeking child.';
comment on column person.uasc_ceased_on is 'Personal data: the date the child''s UASC status ceased.';

alter table app_user add column swe_registration text
  check (swe_registration ~ '^SW[0-9]{1,10}$');
create unique index app_user_swe_registration on app_user (la_id, swe_registration)
  where swe_registration is not null;
comment on column app_user.swe_registration is 'Personal data: the worker''s Social Work England registration number.';
