#pragma once

// A framework as an Excel workbook (.xlsx) for people to read, filter and print, in Swedish.
// Four sheets, in this order:
//   "Åtgärder"        one row per measure in tree order (a node, its measures, then its
//                     children): a column per node kind that occurs above a measure (headed by
//                     the kind's label, holding "code title" of that ancestor), then Nr,
//                     Målgrupp, Förväntat långsiktigt resultat, År, Åtgärd, Aktör, Status. Aktör
//                     lists the responsible actors, one per line, units in parentheses; with none,
//                     the nearest ancestor's coordinating actor followed by " (ärvd)".
//   "Samverkan"       one row per measure and partner: Nr, Åtgärd, Partner, Roll, Enheter.
//   "Klassificering"  one row per classification link of the framework, each node and each
//                     measure: Nivå, Kod, Titel, Klassificering id, Klassificering, Föreslagen.
//   "Om"              the framework's title, kind, status, period, owner, the number of
//                     measures and the export date.
// Each table has a bold, frozen header row, an autofilter, wrapped text and set column widths.
// Each call has its own workbook and temporary file, so calls may run on several threads at once
// (a unit test writes from four threads and compares the bytes).

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/plan_file.hpp"

namespace halsonav::plan {

// The workbook's bytes (a ZIP file), exported today (the machine's local date). libxlsxwriter
// writes through a temporary file in $TMPDIR (else /tmp), which is removed before returning.
// Errors: kInternal when the temporary file cannot be made or read or libxlsxwriter fails (its
// message is named); kInvalidValue when a cell's text is longer than Excel's 32,767 characters.
Result<std::string> WritePlanXlsx(const PlanFile& plan);

// The same with a given export date, "YYYY-MM-DD" (kInvalidValue otherwise); it is shown on the
// "Om" sheet and is the workbook's creation time, so the same plan and date give the same bytes.
Result<std::string> WritePlanXlsx(const PlanFile& plan, std::string_view export_date);

}  // namespace halsonav::plan
