CREATE TABLE "django_users" (
	"django_id" bigint PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"is_staff" boolean NOT NULL,
	"is_superuser" boolean NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"last_login" timestamp with time zone,
	"token_key_hash" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "django_users_user_id_unique" UNIQUE("user_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "django_users" ADD CONSTRAINT "django_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;