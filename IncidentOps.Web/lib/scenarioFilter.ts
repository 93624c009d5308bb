import type { DrillScenarioCard } from './aiTypes';

/** How many cards the gallery shows at first and adds per "show more" (the corpus has thousands). */
export const SCENARIO_PAGE = 24;

/** The gallery's filters; empty strings mean "any". */
export interface ScenarioFilter {
  category: string;
  text: string;
}

/**
 * The scenarios that pass the filters, in the order given (text: every word, case-insensitive, somewhere in the id,
 * title, service or description).
 */
export function filterScenarios(scenarios: DrillScenarioCard[], filter: ScenarioFilter): DrillScenarioCard[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return scenarios.filter((s) => {
    if (filter.category && s.category !== filter.category) return false;
    if (words.length === 0) return true;
    const haystack = `${s.id} ${s.title} ${s.service} ${s.description}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** Each category with how many scenarios have it, by name. */
export function scenarioCategories(scenarios: DrillScenarioCard[]): { category: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const s of scenarios) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
  return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => a.category.localeCompare(b.category));
}
