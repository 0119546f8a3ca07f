import type { CodeList, CodeOf } from "./code-list.ts";

/**
 * `assessmentfactorstype`: factors identified at the end of an assessment. The gaps in the
 * numbering (no 8A, 18A or 19A) are in the schema itself, not omissions here.
 */
export const assessmentFactors = [
  { code: "1A", label: "Alcohol misuse: concerns about alcohol misuse by the child" },
  { code: "1B", label: "Alcohol misuse: concerns about alcohol misuse by the parent(s)/carer(s)" },
  {
    code: "1C",
    label:
      "Alcohol misuse: concerns about alcohol misuse by another person living in the household",
  },
  { code: "2A", label: "Drug misuse: concerns about drug misuse by the child" },
  { code: "2B", label: "Drug misuse: concerns about drug misuse by the parent(s)/carer(s)" },
  {
    code: "2C",
    label: "Drug misuse: concerns about drug misuse by another person living in the household",
  },
  {
    code: "3A",
    label: "Domestic violence: concerns about the child being the subject of domestic violence",
  },
  {
    code: "3B",
    label:
      "Domestic violence: concerns about the child’s parent(s)/carer(s) being the subject of domestic violence",
  },
  {
    code: "3C",
    label:
      "Domestic violence: concerns about another person living in the household being the subject of domestic violence",
  },
  { code: "4A", label: "Mental health: concerns about the mental health of the child" },
  {
    code: "4B",
    label: "Mental health: concerns about the mental health of the parent(s)/carer(s)",
  },
  {
    code: "4C",
    label:
      "Mental health: concerns about the mental health of another person in the family/household",
  },
  { code: "5A", label: "Learning disability: concerns about the child’s learning disability" },
  {
    code: "5B",
    label: "Learning disability: concerns about the parent(s)/carer(s) learning disability",
  },
  {
    code: "5C",
    label:
      "Learning disability: concerns about another person in the family/household’s learning disability",
  },
  {
    code: "6A",
    label:
      "Physical disability or illness: concerns about a physical disability or illness of the child",
  },
  {
    code: "6B",
    label:
      "Physical disability or illness: concerns about a physical disability or illness of the parent(s)/carer(s)",
  },
  {
    code: "6C",
    label:
      "Physical disability or illness: concerns about a physical disability or illness of another person in the family/household",
  },
  {
    code: "7A",
    label:
      "Young carer: concerns that services may be required or the child’s health or development may be impaired due to their caring responsibilities",
  },
  {
    code: "8B",
    label:
      "Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - overseas children who intend to return",
  },
  {
    code: "8C",
    label:
      "Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - overseas children who intend to stay",
  },
  {
    code: "8D",
    label:
      "Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - UK children in educational placements",
  },
  {
    code: "8E",
    label:
      "Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - UK children making alternative family arrangements",
  },
  {
    code: "8F",
    label:
      "Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - other",
  },
  {
    code: "9A",
    label:
      "UASC: concerns that services may be required or the child may be at risk of harm as an unaccompanied asylum-seeking child",
  },
  {
    code: "10A",
    label:
      "Missing: concerns that services may be required or the child may be at risk of harm due to going/being missing",
  },
  {
    code: "11A",
    label:
      "Child sexual exploitation: concerns that services may be required or the child may be at risk of harm due to child sexual exploitation",
  },
  {
    code: "12A",
    label:
      "Trafficking: concerns that services may be required or the child may be at risk of harm due to trafficking",
  },
  {
    code: "13A",
    label:
      "Gangs: concerns that services may be required or the child may be at risk of harm because of involvement in/with gangs",
  },
  {
    code: "14A",
    label:
      "Socially unacceptable behaviour: concerns that services may be required or the child may be at risk due to their socially unacceptable behaviour",
  },
  {
    code: "15A",
    label:
      "Self-harm: concerns that services may be required or due to suspected/actual self-harming child may be at risk of harm",
  },
  {
    code: "16A",
    label:
      "Abuse or neglect – ‘NEGLECT’: concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect",
  },
  {
    code: "17A",
    label:
      "Abuse or neglect – ‘EMOTIONAL ABUSE’: concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect",
  },
  {
    code: "18B",
    label:
      "Abuse or neglect – ‘PHYSICAL ABUSE’ (child on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by another child",
  },
  {
    code: "18C",
    label:
      "Abuse or neglect – ‘PHYSICAL ABUSE’ (adult on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by an adult",
  },
  {
    code: "19B",
    label:
      "Abuse or neglect – ‘SEXUAL ABUSE’ (child on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by another child",
  },
  {
    code: "19C",
    label:
      "Abuse or neglect – ‘SEXUAL ABUSE’ (adult on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by an adult",
  },
  { code: "20", label: "Other" },
  {
    code: "21",
    label:
      "No factors identified - only use this if there is no evidence of any of the factors above and no further action is being taken",
  },
  {
    code: "22A",
    label:
      "Female genital mutilation (FGM) - concerns that services may be required or the child may be at risk due to female genital mutilation",
  },
  {
    code: "23A",
    label:
      "Abuse linked to faith or belief - concerns that services may be required or the child may be at risk due to abuse linked to faith or belief",
  },
  {
    code: "24A",
    label:
      "Child criminal exploitation: concerns that services may be required or the child may be at risk of harm due to child criminal exploitation",
  },
] as const satisfies CodeList;
export type AssessmentFactorCode = CodeOf<typeof assessmentFactors>;
