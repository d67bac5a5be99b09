-- Build step: drop the intermediate tables; the app reads only `observations`.
drop table observations_delivered;
drop table observations_counts;
drop table observations_all;
