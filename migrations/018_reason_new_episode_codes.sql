-- 018 The SSDA903 reasons for a new episode T and B were swapped in Trellis until now: what it
-- stored as T meant "change of legal status and of placement and carers" (the DfE's B) and what
-- it stored as B meant "change of placement, same carers" (the DfE's T). Swap the stored codes
-- so each row keeps the meaning the worker chose, now under the DfE's code (rules 435, 436, 217).
update cla_episode
   set reason_new_episode = case reason_new_episode when 'T' then 'B' else 'T' end
 where reason_new_episode in ('T', 'B');
