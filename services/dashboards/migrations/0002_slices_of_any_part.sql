-- A slice is whatever a part's figures.py declares (services/parts.py lists the parts): the
-- table checks its shape, as it does a metric's, and no longer names the parts.
alter table municipality_figure drop constraint municipality_figure_slice_check;
alter table municipality_figure add constraint municipality_figure_slice_check
    check (slice ~ '^[a-z][a-z0-9_]*$');

alter table region_figure drop constraint region_figure_slice_check;
alter table region_figure add constraint region_figure_slice_check
    check (slice ~ '^[a-z][a-z0-9_]*$');
