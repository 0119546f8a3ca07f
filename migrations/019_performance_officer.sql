-- 019 The performance officer: the council's data and returns role (decision 0028). They
-- produce the statutory returns and follow each validation error to the record that needs it.
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check check (role in ('social_worker',
  'team_manager', 'adult_specialist', 'business_support', 'partner_practitioner',
  'performance_analyst', 'performance_officer', 'system_admin'));
