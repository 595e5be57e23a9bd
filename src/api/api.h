/* api.h: the handlers of the route table in routes.c */
#ifndef API_API_H
#define API_API_H

#include <stddef.h>
#include "../http/request.h"
#include "../http/router.h"

/*
 * A handler reads its input from r (params, query, r->json), calls
 * domain/ and store/, and fills r->resp through resp_json() and friends.
 * It returns 0, or -1 after req_fail() recorded what went wrong.
 * docs/ADDING-AN-ENDPOINT.md lists the steps for a new one.
 */

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* health.c */
int api_health_get(struct req *r);
int api_metrics_get(struct req *r);

/* competitions.c */
int api_competitions_list(struct req *r);
int api_competition_get(struct req *r);
int api_competition_tracks(struct req *r);

/* auth.c */
int api_session_get(struct req *r);
int api_agreement_get(struct req *r);
int api_captcha_create(struct req *r);
int api_sms_code_create(struct req *r);
int api_register(struct req *r);
int api_login(struct req *r);
int api_logout(struct req *r);
int api_logout_all(struct req *r);
int api_password_reset(struct req *r);
int api_password_change(struct req *r);

/* applications.c */
int api_form_get(struct req *r);
int api_application_create(struct req *r);
int api_applications_list(struct req *r);
int api_application_get(struct req *r);
int api_application_put(struct req *r);
int api_application_patch(struct req *r);
int api_application_validate(struct req *r);
int api_application_submit(struct req *r);
int api_application_delete(struct req *r);
int api_review_application_get(struct req *r);
int api_application_tech_submit(struct req *r);

/* attachments.c */
extern const struct route_stream api_attachment_stream;
int api_attachment_upload(struct req *r);
int api_attachments_list(struct req *r);
int api_attachment_get(struct req *r);
int api_attachment_delete(struct req *r);
int api_attachment_dispatch(struct req *r);

/* review.c */
int api_review_approve(struct req *r);
int api_review_return(struct req *r);
int api_review_stage(struct req *r);
int api_review_tech_open(struct req *r);
int api_review_tech_result(struct req *r);
int api_review_batch(struct req *r);

/* console.c */
int api_review_queue(struct req *r);
int api_return_reasons_get(struct req *r);
int api_return_reasons_put(struct req *r);

/* messages.c */
int api_messages_list(struct req *r);
int api_messages_unread(struct req *r);
int api_message_read(struct req *r);
int api_messages_read_all(struct req *r);

/* admin_console.c */
int api_sms_templates_get(struct req *r);
int api_sms_templates_put(struct req *r);
int api_audit_list(struct req *r);
int api_staff_list(struct req *r);
int api_staff_add(struct req *r);
int api_staff_remove(struct req *r);
int api_schedule_get(struct req *r);
int api_schedule_put(struct req *r);

/* documents.c */
int api_application_pdf(struct req *r);
int api_application_letter(struct req *r);
int api_review_application_pdf(struct req *r);
int api_verify_get(struct req *r);

/* exports.c */
int api_export_xlsx(struct req *r);
int api_export_csv(struct req *r);
int api_export_job_create(struct req *r);
int api_export_job_get(struct req *r);
int api_export_job_file(struct req *r);

/* platform.c */
int api_platform_get(struct req *r);

/* admin_lists.c */
int api_unit_list_import(struct req *r);
int api_unit_list_get(struct req *r);
int api_unit_list_export(struct req *r);
int api_uscc_verify(struct req *r);

/* judging.c */
int api_rubric_get(struct req *r);
int api_rubric_put(struct req *r);
int api_judges_list(struct req *r);
int api_judge_put(struct req *r);
int api_judging_assignments(struct req *r);
int api_judging_assign(struct req *r);
int api_judging_assignment_add(struct req *r);
int api_judging_assignment_delete(struct req *r);
int api_judge_assignments(struct req *r);
int api_judge_assignment_get(struct req *r);
int api_judge_attachment_get(struct req *r);
int api_judge_pdf(struct req *r);
int api_judge_score_put(struct req *r);
int api_judge_submit(struct req *r);
int api_judge_conflict(struct req *r);

/* awards.c */
int api_ranking_get(struct req *r);
int api_awards_get(struct req *r);
int api_award_quotas_put(struct req *r);
int api_awards_propose(struct req *r);
int api_award_put(struct req *r);
int api_awards_lock(struct req *r);
int api_awards_unlock(struct req *r);
int api_awards_publish(struct req *r);
int api_results_get(struct req *r);

/* statistics.c */
int api_statistics_get(struct req *r);

/* test_hooks.c: routes that exist only with test_mode on */
int api_test_captcha_get(struct req *r);
int api_test_sms_get(struct req *r);
int api_test_clock_advance(struct req *r);

/* csp_reports.c */
int api_csp_report_create(struct req *r);

#endif
