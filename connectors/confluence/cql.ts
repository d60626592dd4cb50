/**
 * CQL for incremental runs. CQL compares `lastmodified` with a wall-clock time to the
 * minute ("yyyy-MM-dd HH:mm"), read in the time zone of the token's user on the server,
 * and Confluence Server has no `now()` function to sidestep that. So the time is written
 * in the configured zone, or, when none is configured, 12 hours earlier than the UTC wall
 * time: the earliest offset in use is UTC-12, so the query then starts at or before the
 * wanted instant in every zone. Starting early only lists a few more unchanged pages,
 * which are skipped without fetching their bodies; starting late would miss edits.
 */

const unknownZoneLeadMs = 12 * 60 * 60 * 1000;

/** `instant` as a CQL date, to the minute, rounded down. */
export function cqlDate(instant: Date, timeZone: string | undefined): string {
  if (timeZone === undefined) return formatUtc(new Date(instant.getTime() - unknownZoneLeadMs));
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function formatUtc(instant: Date): string {
  return instant.toISOString().slice(0, 16).replace('T', ' ');
}

/** Content of one type in one space modified at or after `since` (a {@link cqlDate}). */
export function modifiedSinceQuery(spaceKey: string, type: 'page' | 'attachment', since: string): string {
  return `space = ${quote(spaceKey)} and type = ${type} and lastmodified >= ${quote(since)}`;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
