// Production reports: availability per host and service over a period (HTML, CSV, PDF).
export { type Availability, availability, isOutage, type Outage, type ReportObject } from './availability.ts';
export { printPdf } from './pdf.ts';
export { formatDuration, reportCsv, reportDocument, reportHtml } from './render.ts';
export { type AvailabilityReport, buildAvailabilityReport } from './report.ts';
