/* cli_campaign.c — placeholder */
