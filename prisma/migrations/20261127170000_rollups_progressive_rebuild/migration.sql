-- A rebuild writes an org's weeks a few at a time, oldest first, and records how far it has got:
-- reads use the weeks written so far and compute only the later ones live. A rebuild holds the
-- org by a lease it renews per chunk, so one that died is taken over once the lease runs out.
ALTER TABLE "RollupState" ADD COLUMN "rebuiltThrough" DATE;
ALTER TABLE "RollupState" ADD COLUMN "leaseUntil" TIMESTAMPTZ(3);
