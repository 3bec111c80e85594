-- A partition's bound changes: it is re-created (marked for review).
-- from
CREATE TABLE m (at date) PARTITION BY RANGE (at);
CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
-- to
CREATE TABLE m (at date) PARTITION BY RANGE (at);
CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
