// The PLOVER types and the four colour groups the map, the list and the detail share.
export const TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];
// Sixteen colours cannot be told apart on a map: four groups an analyst reads at a glance.
export const GROUPS = [
  { name: "violence", color: "#d50000", types: ["ASSAULT"] },
  { name: "protest", color: "#8e24aa", types: ["PROTEST"] },
  { name: "coercion", color: "#ef6c00", types: ["COERCE", "MOBILIZE", "SANCTION"] },
  { name: "verbal / diplomatic", color: "#1e88e5",
    types: ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
            "ACCUSE", "REJECT", "THREATEN"] },
];
export const GROUP_OF = Object.fromEntries(GROUPS.flatMap((g) => g.types.map((t) => [t, g])));
export const COLORS = Object.fromEntries(TYPES.map((t) => [t, GROUP_OF[t].color]));
/** The CSS class of a type's group: group-violence, group-protest, group-coercion, group-verbal. */
export const groupClass = (type) => `group-${(GROUP_OF[type] || GROUPS[3]).name.split(" ")[0]}`;
/** Marker radius: grows with the death toll (area ~ deaths), at least 4 px. */
export const radiusFor = (ev) => 4 + Math.min(14, 2.2 * Math.sqrt(ev.fatalities_best || 0));
